import { OFFICER_ROLES, Role } from '@gov/auth';
import { baseConfigShape, env, loadConfig, type LoadedConfig } from '@gov/service-kit';
import { z } from 'zod';
import { MATERIALS_SECRETS, checkMaterialsConfig, materialsConfigShape } from './materials/materials.config';

const BureauRulesSchema = z.record(
  z.string().regex(/^[0-9A-Z]{2,12}$/, 'a tenant code'),
  z
    .object({
      acceptanceWindowDays: z.number().int().min(1).max(30).optional(),
      correctionWorkingDays: z.number().int().min(1).max(365).optional(),
      /** Where a 不予受理通知书 sends the applicant: the 行政复议 body and the court of 行政诉讼. */
      reviewBody: z.string().trim().min(1).max(100).optional(),
      court: z.string().trim().min(1).max(100).optional(),
    })
    .strict(),
);

export const IntakeConfigSchema = z
  .object({
    ...baseConfigShape,
    INTAKE_PORT: env.port(3002),
    INTAKE_HOST: z.string().default('127.0.0.1'),
    INTAKE_DB: z.string().default('intake'),
    /** Publish the outbox to Kafka. Off only where a test must not feed the running stack's consumers. */
    INTAKE_RELAY_ENABLED: env.bool(true),
    /** The 'intake' service client's secret at identity (sealing notices, looking up departments); the demo secret outside production. */
    SERVICE_CLIENT_SECRET: z.string().min(8).optional(),
    /** Base of the public verification address printed as the QR code of every notice: <base><verification code>. Default: identity's <IDENTITY_ISSUER>/verify/documents/. */
    NOTICE_VERIFY_BASE_URL: z.string().url().optional(),
    /** The npm package with the CJK font notices are set in (fontsource layout: <weight>.css and files/*.woff). */
    NOTICE_FONT_PACKAGE: z.string().min(1).default('@fontsource/noto-sans-sc'),
    /** Where notices are rendered: `process`, a child process at lower CPU priority, ended when idle; `inline`, here. */
    NOTICE_RENDERER: z.enum(['process', 'inline']).default('process'),
    /** How much nicer than the service the rendering process runs (niceness added, capped at 19): it gets the CPU requests leave. */
    NOTICE_RENDER_NICE: env.int(10, 0),
    /** The rendering process exits after this long without work (its fonts and PDF code leave memory with it). */
    NOTICE_RENDER_IDLE_MS: env.int(30_000, 100),
    /** A notice taking longer than this to render restarts the process; the sealer renders the notice again. */
    NOTICE_RENDER_TIMEOUT_MS: env.int(60_000, 1000),
    /** The text at the bottom of the drawn seal. */
    NOTICE_SEAL_LABEL: z.string().min(1).max(12).default('行政审批专用章'),
    /** How often notices left unsealed (identity unreachable) are sealed again; 0 = never in the background. */
    NOTICE_SEAL_RETRY_INTERVAL_MS: env.int(10_000, 0),
    /** Notification channels to use, besides the mail drop which is always written: email, sms. */
    NOTIFY_CHANNELS: env.list('mail-drop'),
    /** The local default notifier's folder: one file per notification (<id>.eml). */
    NOTIFY_MAIL_DROP_DIR: z.string().min(1).default('var/mail-drop'),
    /** How often the delivery outbox is drained; 0 = never in the background. */
    NOTIFY_DISPATCH_INTERVAL_MS: env.int(2_000, 0),
    /** A row being sent is leased this long; a crash mid-send makes it due again after the lease. */
    NOTIFY_LEASE_SECONDS: env.int(60, 1),
    /** Attempts before a notification is marked failed. */
    NOTIFY_MAX_ATTEMPTS: env.int(8, 1),
    /** E-mail: an SMTP URL (smtp://user:pass@host:587, smtps://...) and the sender address. */
    SMTP_URL: z.string().url().optional(),
    SMTP_FROM: z.string().min(3).default('示范市政务服务 <noreply@gov.example>'),
    /** SMS: the provider-neutral HTTP endpoint (see notifications/channels/sms.channel.ts), its bearer token and sender id. */
    SMS_ENDPOINT: z.string().url().optional(),
    SMS_TOKEN: z.string().min(8).optional(),
    SMS_SENDER: z.string().min(1).max(32).default('GOV'),
    /** Consume approval's and supervision's events into the progress read model. Off where a test shares the stack's topics. */
    INTAKE_CONSUMERS: env.bool(true),
    /**
     * The window decides on acceptance within this many working days of receipt, or the application counts as
     * accepted from the day of receipt (seed 001 text 10: 5 working days). Default for every bureau.
     */
    INTAKE_ACCEPTANCE_WINDOW_DAYS: env.int(5, 1),
    /** Working days an applicant has to correct after a one-time correction notice (no seed sets it; 10 by default). */
    INTAKE_CORRECTION_WORKING_DAYS: env.int(10, 1),
    /** The 行政复议 body and the court a refusal notice names (the demo city's by default; per bureau in INTAKE_BUREAU_RULES). */
    INTAKE_REVIEW_BODY: z.string().trim().min(1).max(100).default('示范市人民政府'),
    INTAKE_COURT: z.string().trim().min(1).max(100).default('示范市中级人民法院'),
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
     * head approved. Default: `service_management` (Role.ServiceManagement, the demo user `office`); a bureau whose
     * identity has no such officer yet may name another officer role here.
     */
    CATALOGUE_FILING_ROLE: z.enum(OFFICER_ROLES as [Role, ...Role[]]).default(Role.ServiceManagement),
    /** Largest catalogue file (CSV) an import reads; a JSON import is bounded by HTTP_BODY_LIMIT_BYTES like any body. */
    CATALOGUE_IMPORT_MAX_BYTES: env.int(10 * 1024 * 1024, 1024),
    /** Working days a department has to answer a consultation (咨询), counted from the question (issue 8 §5). */
    CONSULTATION_ANSWER_WORKING_DAYS: env.int(2, 1),
    /** Per-bureau (tenant) overrides of the answer period, as JSON: {"449901": 3}. */
    CONSULTATION_BUREAU_DAYS: z
      .string()
      .default('{}')
      .transform((raw, ctx) => {
        try {
          return z.record(z.string().regex(/^[0-9A-Z]{2,12}$/, 'a tenant code'), z.number().int().min(1).max(60)).parse(JSON.parse(raw));
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `must be JSON {"<tenant>": <working days 1-60>}: ${e instanceof Error ? e.message : String(e)}` });
          return z.NEVER;
        }
      }),
    /** Anonymous questions per client address and window (the kit's rate limiter; counters in the database). */
    CONSULTATION_ASK_RATE_PER_IP: env.int(10, 1),
    CONSULTATION_ASK_RATE_WINDOW_SECONDS: env.int(3600, 1),
    /** The demo matter catalogue (src/seed). Default: on in development and test; refused in production. */
    DEMO_SEED: z.enum(['true', 'false', '1', '0']).optional(),
    ...materialsConfigShape,
  })
  .superRefine((c, ctx) => {
    checkMaterialsConfig(c, ctx);
    if (c.NODE_ENV === 'production' && (c.DEMO_SEED === 'true' || c.DEMO_SEED === '1')) {
      ctx.addIssue({ code: 'custom', path: ['DEMO_SEED'], message: 'demo data is never seeded in production' });
    }
    const channels = c.NOTIFY_CHANNELS;
    for (const ch of channels) {
      if (!['mail-drop', 'email', 'sms'].includes(ch)) ctx.addIssue({ code: 'custom', path: ['NOTIFY_CHANNELS'], message: `unknown channel ${ch}: use mail-drop, email, sms` });
    }
    if (channels.includes('email') && !c.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'required when NOTIFY_CHANNELS has email' });
    if (channels.includes('sms') && (!c.SMS_ENDPOINT || !c.SMS_TOKEN)) ctx.addIssue({ code: 'custom', path: ['SMS_ENDPOINT'], message: 'SMS_ENDPOINT and SMS_TOKEN are required when NOTIFY_CHANNELS has sms' });
  });

export type IntakeConfig = Omit<z.infer<typeof IntakeConfigSchema>, 'DEMO_SEED'> & { demoSeed: boolean };
export const INTAKE_CONFIG = Symbol('INTAKE_CONFIG');

export function loadIntakeConfig(source: NodeJS.ProcessEnv = process.env): LoadedConfig<IntakeConfig> {
  const loaded = loadConfig('intake', IntakeConfigSchema, ['DB_PASSWORD', 'DB_OWNER_PASSWORD', 'SERVICE_CLIENT_SECRET', 'SMTP_URL', 'SMS_TOKEN', ...MATERIALS_SECRETS], source);
  const { DEMO_SEED, ...rest } = loaded.values;
  const demoSeed = DEMO_SEED === undefined ? rest.NODE_ENV !== 'production' : DEMO_SEED === 'true' || DEMO_SEED === '1';
  return { values: { ...rest, demoSeed }, redacted: { ...loaded.redacted, demoSeed } };
}
