import { OFFICER_ROLES, Role } from '@gov/auth';
import { baseConfigShape, env, loadConfig, type LoadedConfig } from '@gov/service-kit';
import { z } from 'zod';
import { MATERIALS_SECRETS, checkMaterialsConfig, materialsConfigShape } from './materials/materials.config';

export const IntakeConfigSchema = z
  .object({
    ...baseConfigShape,
    INTAKE_PORT: env.port(3002),
    INTAKE_HOST: z.string().default('127.0.0.1'),
    INTAKE_DB: z.string().default('intake'),
    /** Publish the outbox to Kafka. Off only where a test must not feed the running stack's consumers. */
    INTAKE_RELAY_ENABLED: env.bool(true),
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
    ...materialsConfigShape,
  })
  .superRefine((c, ctx) => {
    checkMaterialsConfig(c, ctx);
    if (c.NODE_ENV === 'production' && (c.DEMO_SEED === 'true' || c.DEMO_SEED === '1')) {
      ctx.addIssue({ code: 'custom', path: ['DEMO_SEED'], message: 'demo data is never seeded in production' });
    }
  });

export type IntakeConfig = Omit<z.infer<typeof IntakeConfigSchema>, 'DEMO_SEED'> & { demoSeed: boolean };
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');

export function loadIntakeConfig(source: NodeJS.ProcessEnv = process.env): LoadedConfig<IntakeConfig> {
  const loaded = loadConfig('intake', IntakeConfigSchema, ['DB_PASSWORD', 'DB_OWNER_PASSWORD', ...MATERIALS_SECRETS], source);
  const { DEMO_SEED, ...rest } = loaded.values;
  const demoSeed = DEMO_SEED === undefined ? rest.NODE_ENV !== 'production' : DEMO_SEED === 'true' || DEMO_SEED === '1';
  return { values: { ...rest, demoSeed }, redacted: { ...loaded.redacted, demoSeed } };
}
