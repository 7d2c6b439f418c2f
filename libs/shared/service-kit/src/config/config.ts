import { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig<T> {
  values: T;
  /** The configuration with secret values replaced by "***", safe to log. */
  redacted: Record<string, unknown>;
}

/**
 * Validate environment variables into one typed object. `secrets` lists keys whose values never appear in
 * logs or error messages. Every problem is reported at once, naming the variable to fix.
 */
export function loadConfig<S extends z.ZodObject<z.ZodRawShape>>(
  service: string,
  schema: S,
  secrets: ReadonlyArray<keyof z.infer<S> & string>,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const shown = secrets.includes(key) ? '(secret)' : JSON.stringify(env[key] ?? null);
      return `${key}: ${issue.message} (got ${shown})`;
    });
    throw new ConfigError(service, problems);
  }
  const values = result.data;
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    redacted[key] = secrets.includes(key) && value !== undefined && value !== '' ? '***' : value;
  }
  return { values, redacted };
}

/** Reusable field parsers for environment values (which are always strings). */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  url: (fallback: string) => z.string().url().default(fallback),
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** Settings every service shares: database, Kafka and logging. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: env.logLevel(),
  PGHOST: z.string().default('127.0.0.1'),
  PGPORT: env.port(5432),
  DB_USER: z.string().default('gov_app'),
  DB_PASSWORD: z.string().default(''),
  DB_OWNER_USER: z.string().default('gov_owner'),
  DB_OWNER_PASSWORD: z.string().default(''),
  KAFKA_BROKERS: env.list('127.0.0.1:9092'),
  /** The identity service: token issuer, and its JWKS at <issuer>/.well-known/jwks.json. */
  IDENTITY_ISSUER: env.url('http://127.0.0.1:3001'),
  AUTH_AUDIENCE: z.string().min(1).default('gov-platform'),
  SHUTDOWN_GRACE_MS: env.int(10_000),
  /** The auth kit's limit on every `@Public()` route: requests per minute from one client address (shared by replicas). */
  PUBLIC_RATE_PER_MINUTE_PER_IP: env.int(600, 1),
};
