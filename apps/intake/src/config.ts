import { OFFICER_ROLES, Role } from '@gov/auth';
import { baseConfigShape, env, loadConfig, type LoadedConfig } from '@gov/service-kit';
import { z } from 'zod';

const BureauRulesSchema = z.record(
  z.string().regex(/^[0-9A-Z]{2,12}$/, 'a tenant code'),
  z.object({ acceptanceWindowDays: z.number().int().min(1).max(30).optional(), correctionWorkingDays: z.number().int().min(1).max(365).optional() }).strict(),
);

export const IntakeConfigSchema = z
  .object({
    ...baseConfigShape,
    INTAKE_PORT: env.port(3002),
    INTAKE_HOST: z.string().default('127.0.0.1'),
    INTAKE_DB: z.string().default('intake'),
    /** Publish the outbox to Kafka. Off only where a test must not feed the running stack's consumers. */
    INTAKE_RELAY_ENABLED: env.bool(true),
    /** Consume approval's and supervision's events into the progress read model. Off where a test shares the stack's topics. */
    INTAKE_CONSUMERS: env.bool(true),
    /**
     * The window decides on acceptance within this many working days of receipt, or the application counts as
     * accepted from the day of receipt (seed 001 text 10: 5 working days). Default for every bureau.
     */
    INTAKE_ACCEPTANCE_WINDOW_DAYS: env.int(5, 1),
    /** Working days an applicant has to correct after a one-time correction notice (no seed sets it; 10 by default). */
    INTAKE_CORRECTION_WORKING_DAYS: env.int(10, 1),
    /**
     * Per-bureau (tenant) overrides, as JSON: {"449901": {"acceptanceWindowDays": 3, "correctionWorkingDays": 15}}.
     */
    INTAKE_BUREAU_RULES: z
      .string()
      .default('{}')
      .transform((raw, ctx) => {
        try {
          return BureauRulesSchema.parse(JSON.parse(raw));
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `must be JSON {"<tenant>": {"acceptanceWindowDays": n, "correctionWorkingDays": n}}: ${e instanceof Error ? e.message : String(e)}` });
          return z.NEVER;
        }
      }),
    /** How often the acceptance sweeper looks for deemed acceptances and missed deadlines; 0 turns it off. */
    INTAKE_SWEEP_INTERVAL_MS: env.int(60_000, 0),
    /**
     * The role of the service-management office (政务服务管理办公室 / 审改办) that files catalogue changes (seed 004 art.
     * 14): an officer holding it, whose organisations include the matter's department, files versions the department
     * head approved. Default: the platform's process analyst of the city, until identity has a dedicated role.
     */
    CATALOGUE_FILING_ROLE: z.enum(OFFICER_ROLES as [Role, ...Role[]]).default(Role.ProcessAnalyst),
    /** Largest catalogue file (CSV) an import reads; a JSON import is bounded by HTTP_BODY_LIMIT_BYTES like any body. */
    CATALOGUE_IMPORT_MAX_BYTES: env.int(10 * 1024 * 1024, 1024),
    /** The demo matter catalogue (src/seed). Default: on in development and test; refused in production. */
    DEMO_SEED: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && (c.DEMO_SEED === 'true' || c.DEMO_SEED === '1')) {
      ctx.addIssue({ code: 'custom', path: ['DEMO_SEED'], message: 'demo data is never seeded in production' });
    }
  });

export type IntakeConfig = Omit<z.infer<typeof IntakeConfigSchema>, 'DEMO_SEED'> & { demoSeed: boolean };
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');

export function loadIntakeConfig(source: NodeJS.ProcessEnv = process.env): LoadedConfig<IntakeConfig> {
  const loaded = loadConfig('intake', IntakeConfigSchema, ['DB_PASSWORD', 'DB_OWNER_PASSWORD'], source);
  const { DEMO_SEED, ...rest } = loaded.values;
  const demoSeed = DEMO_SEED === undefined ? rest.NODE_ENV !== 'production' : DEMO_SEED === 'true' || DEMO_SEED === '1';
  return { values: { ...rest, demoSeed }, redacted: { ...loaded.redacted, demoSeed } };
}
