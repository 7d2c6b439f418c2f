import { baseConfigShape, env, loadConfig, type LoadedConfig } from '@gov/service-kit';
import { z } from 'zod';

// A development-only key-encryption key. It is public (it is in the repository), so production refuses it.
export const DEV_KEK = 'dev-only-identity-kek-do-not-use-in-production';

export const identityConfigSchema = z
  .object({
    ...baseConfigShape,
    IDENTITY_PORT: env.port(3001),
    IDENTITY_HOST: z.string().default('127.0.0.1'),
    IDENTITY_DB: z.string().default('identity'),
    IDENTITY_ISSUER: env.url('http://127.0.0.1:3001'),
    IDENTITY_AUDIENCE: z.string().min(1).default('gov-platform'),
    /** Key-encryption key protecting signing and CA private keys at rest (secret). */
    IDENTITY_KEK: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SECONDS: env.int(300, 30),
    REFRESH_TOKEN_TTL_SECONDS: env.int(8 * 3600, 60),
    /** A signing key older than this is rotated. */
    KEY_ROTATION_SECONDS: env.int(24 * 3600, 60),
    /** A new key is published this long before it signs, so verifiers with a cached JWKS already know it. */
    KEY_PREPUBLISH_SECONDS: env.int(120, 0),
    LOGIN_MAX_FAILURES: env.int(5, 1),
    LOGIN_LOCK_SECONDS: env.int(15 * 60, 1),
    // Rate limits, counted in PostgreSQL (shared by replicas) per client address and per account. A request
    // refused for its account does not count against its address, so one account's failures do not lock out
    // an office behind one NAT.
    /** The window of identity's rate limits; the budgets below are per this many seconds (tests use a long one). */
    RATE_LIMIT_WINDOW_SECONDS: env.int(60, 1),
    /** Login attempts per minute from one address (all accounts together). */
    LOGIN_RATE_PER_MINUTE_PER_IP: env.int(300, 1),
    /** Login attempts per minute for one username (on top of the lock after LOGIN_MAX_FAILURES). */
    LOGIN_RATE_PER_MINUTE_PER_USER: env.int(10, 1),
    /** Refresh-token exchanges per minute from one address. */
    REFRESH_RATE_PER_MINUTE_PER_IP: env.int(120, 1),
    /** Certificate-login challenges per minute from one address, and for one username. */
    CHALLENGE_RATE_PER_MINUTE_PER_IP: env.int(60, 1),
    CHALLENGE_RATE_PER_MINUTE_PER_USER: env.int(10, 1),
    /** Applicant registrations (one scrypt hash each) per minute from one address, and for one username. */
    REGISTER_RATE_PER_MINUTE_PER_IP: env.int(20, 1),
    REGISTER_RATE_PER_MINUTE_PER_USER: env.int(5, 1),
    /** Client-credentials token requests per minute from one address, and for one client_id. */
    TOKEN_RATE_PER_MINUTE_PER_IP: env.int(120, 1),
    TOKEN_RATE_PER_MINUTE_PER_CLIENT: env.int(60, 1),
    /** Signature verifications (/ca/verify-jws, /seals/verify) per minute from one address. */
    SIGNATURE_VERIFY_RATE_PER_MINUTE_PER_IP: env.int(120, 1),
    /** Public document verification (/verify/documents...) per minute from one address. */
    DOCUMENT_VERIFY_RATE_PER_MINUTE_PER_IP: env.int(300, 1),
    // Any other public route (discovery, JWKS, CA chain, CRL, certificate status): PUBLIC_RATE_PER_MINUTE_PER_IP (kit, 600).
    /** scrypt cost (log2 N). 15 = 32 MiB per hash. */
    PASSWORD_SCRYPT_LOG2N: env.int(15, 10),
    /** Every chain head of identity's audit is signed and published this often (0 = only on demand). */
    LEDGER_ANCHOR_INTERVAL_SECONDS: env.int(60, 0),
    /** Consume the platform audit topic (every service's security events) into the audit trail. */
    PLATFORM_AUDIT_CONSUMER: env.bool(true),
    /** Demo organisations, users and seals. Default: on outside production, off in production. */
    DEMO_SEED: z.enum(['true', 'false', '1', '0']).optional(),
    DEMO_PASSWORD: z.string().min(8).default('demo-Passw0rd!'),
    DEMO_SERVICE_SECRET: z.string().min(8).default('demo-service-secret'),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.IDENTITY_KEK) {
      ctx.addIssue({ code: 'custom', path: ['IDENTITY_KEK'], message: 'required in production' });
    }
    if (c.NODE_ENV === 'production' && c.IDENTITY_KEK === DEV_KEK) {
      ctx.addIssue({ code: 'custom', path: ['IDENTITY_KEK'], message: 'the development key must not be used in production' });
    }
  });

export type IdentityConfig = Omit<z.infer<typeof identityConfigSchema>, 'DEMO_SEED'> & { kek: string; kekIsDevDefault: boolean; demoSeed: boolean };

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

export function loadIdentityConfig(source: NodeJS.ProcessEnv = process.env): LoadedConfig<IdentityConfig> {
  const loaded = loadConfig('identity', identityConfigSchema, ['IDENTITY_KEK', 'DB_PASSWORD', 'DB_OWNER_PASSWORD', 'DEMO_PASSWORD', 'DEMO_SERVICE_SECRET'], source);
  const kekIsDevDefault = !loaded.values.IDENTITY_KEK;
  const { DEMO_SEED, ...rest } = loaded.values;
  const demoSeed = DEMO_SEED === undefined ? rest.NODE_ENV !== 'production' : DEMO_SEED === 'true' || DEMO_SEED === '1';
  const values: IdentityConfig = { ...rest, kek: rest.IDENTITY_KEK ?? DEV_KEK, kekIsDevDefault, demoSeed };
  return { values, redacted: { ...loaded.redacted, kekIsDevDefault, demoSeed } };
}
