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
  const secretKeys: string[] = [...secrets, ...KIT_SECRETS];
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      const shown = secretKeys.includes(key) ? '(secret)' : JSON.stringify(env[key] ?? null);
      return `${key}: ${issue.message} (got ${shown})`;
    });
    throw new ConfigError(service, problems);
  }
  const values = result.data;
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    redacted[key] = secretKeys.includes(key) && value !== undefined && value !== '' ? '***' : value;
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

/** Keys of `baseConfigShape` that are secrets in every service (redacted whether or not a service lists them). */
export const KIT_SECRETS = ['DB_PASSWORD', 'DB_OWNER_PASSWORD', 'METRICS_TOKEN'] as const;

/** Settings every service shares: database, Kafka, logging and the HTTP request edge. */
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
  /** Prepended to the service's Kafka consumer group ids (tests give in-process services their own groups). */
  KAFKA_GROUP_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, underscore, dash').default(''),
  /**
   * Prepended to every Kafka topic name on the wire; empty in deployments. A second copy of the platform on a shared
   * broker (a benchmark of a branch beside the stack) sets one so neither copy takes the other's events.
   */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, underscore, dash').default(''),
  /** Where a consumer group with no committed offsets starts: `earliest` (deployments) or `latest` (in-process tests). */
  KAFKA_NEW_GROUP_FROM: z.enum(['earliest', 'latest']).default('earliest'),
  /** The identity service: token issuer, and its JWKS at <issuer>/.well-known/jwks.json. */
  IDENTITY_ISSUER: env.url('http://127.0.0.1:3001'),
  AUTH_AUDIENCE: z.string().min(1).default('gov-platform'),
  SHUTDOWN_GRACE_MS: env.int(10_000),
  /** Serve Swagger UI at /docs and the OpenAPI document at /docs-json. Default: on, except when NODE_ENV=production. */
  API_DOCS_ENABLED: z.enum(['true', 'false', '1', '0']).optional(),
  /** Largest accepted request body in bytes (413 BodyTooLarge beyond it). */
  HTTP_BODY_LIMIT_BYTES: env.int(1_048_576, 1024),
  /** Deepest accepted nesting of objects and arrays in a JSON body (400 NestingTooDeep beyond it). */
  HTTP_BODY_MAX_DEPTH: env.int(32, 2),
  /** Bearer token /metrics requires (secret). Unset: /metrics is open, except in production where it is not served. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** An Idempotency-Key older than this is forgotten: a request with it is treated as new, and the row is pruned. */
  IDEMPOTENCY_TTL_SECONDS: env.int(24 * 3600, 60),
  /** How often expired idempotency keys are deleted (in bounded batches). */
  IDEMPOTENCY_PRUNE_INTERVAL_SECONDS: env.int(600, 1),
  /** The auth kit's limit on every `@Public()` route: requests per minute from one client address (shared by replicas). */
  PUBLIC_RATE_PER_MINUTE_PER_IP: env.int(600, 1),
};

/** The request edge's settings, resolved from a loaded configuration (see `baseConfigShape`). */
export interface EdgeSettings {
  production: boolean;
  docsEnabled: boolean;
  bodyLimitBytes: number;
  bodyMaxDepth: number;
  metricsToken: string | undefined;
  idempotencyTtlSeconds: number;
  idempotencyPruneIntervalSeconds: number;
}

const edgeShape = z.object({
  NODE_ENV: baseConfigShape.NODE_ENV,
  API_DOCS_ENABLED: baseConfigShape.API_DOCS_ENABLED,
  HTTP_BODY_LIMIT_BYTES: baseConfigShape.HTTP_BODY_LIMIT_BYTES,
  HTTP_BODY_MAX_DEPTH: baseConfigShape.HTTP_BODY_MAX_DEPTH,
  METRICS_TOKEN: baseConfigShape.METRICS_TOKEN,
  IDEMPOTENCY_TTL_SECONDS: baseConfigShape.IDEMPOTENCY_TTL_SECONDS,
  IDEMPOTENCY_PRUNE_INTERVAL_SECONDS: baseConfigShape.IDEMPOTENCY_PRUNE_INTERVAL_SECONDS,
});

/**
 * The edge settings of a service: from its loaded configuration when given (every service's schema spreads
 * `baseConfigShape`), else from the environment.
 */
export function edgeSettings(config?: object, source: NodeJS.ProcessEnv = process.env): EdgeSettings {
  const v: z.infer<typeof edgeShape> =
    config && 'HTTP_BODY_LIMIT_BYTES' in config ? (config as z.infer<typeof edgeShape>) : loadConfig('service-kit', edgeShape, [], source).values;
  const production = v.NODE_ENV === 'production';
  return {
    production,
    docsEnabled: v.API_DOCS_ENABLED === undefined ? !production : v.API_DOCS_ENABLED === 'true' || v.API_DOCS_ENABLED === '1',
    bodyLimitBytes: v.HTTP_BODY_LIMIT_BYTES,
    bodyMaxDepth: v.HTTP_BODY_MAX_DEPTH,
    metricsToken: v.METRICS_TOKEN,
    idempotencyTtlSeconds: v.IDEMPOTENCY_TTL_SECONDS,
    idempotencyPruneIntervalSeconds: v.IDEMPOTENCY_PRUNE_INTERVAL_SECONDS,
  };
}
