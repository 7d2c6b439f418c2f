import { z } from 'zod';
import { ConfigError, baseConfigShape, edgeSettings, env, loadConfig } from './config';

describe('loadConfig', () => {
  const schema = z.object({ PORT: env.port(3000), API_SECRET: z.string().min(8), FLAG: env.bool(false) });

  it('applies defaults and coerces strings', () => {
    // given / when
    const { values } = loadConfig('svc', schema, ['API_SECRET'], { API_SECRET: 'abcdefgh', FLAG: 'true' });
    // then
    expect(values).toEqual({ PORT: 3000, API_SECRET: 'abcdefgh', FLAG: true });
  });

  it('redacts secrets in the loggable copy', () => {
    const { redacted } = loadConfig('svc', schema, ['API_SECRET'], { API_SECRET: 'abcdefgh' });
    expect(redacted.API_SECRET).toBe('***');
    expect(redacted.PORT).toBe(3000);
  });

  it('names every bad variable and never prints a secret', () => {
    let error: unknown;
    try {
      loadConfig('svc', schema, ['API_SECRET'], { PORT: '70000', API_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('API_SECRET');
    expect(message).not.toContain('short');
    expect((error as ConfigError).problems).toHaveLength(2);
  });
});

describe('edgeSettings', () => {
  const base = z.object({ ...baseConfigShape });

  it('serves docs and open metrics outside production, with 1 MiB and depth 32 limits and a 24 h key TTL', () => {
    // given
    const { values } = loadConfig('svc', base, [], { NODE_ENV: 'development' });
    // when
    const s = edgeSettings(values);
    // then
    expect(s).toEqual({
      production: false,
      docsEnabled: true,
      bodyLimitBytes: 1_048_576,
      bodyMaxDepth: 32,
      metricsToken: undefined,
      idempotencyTtlSeconds: 86_400,
      idempotencyPruneIntervalSeconds: 600,
    });
  });

  it('turns docs off in production unless API_DOCS_ENABLED says otherwise', () => {
    expect(edgeSettings(loadConfig('svc', base, [], { NODE_ENV: 'production' }).values).docsEnabled).toBe(false);
    expect(edgeSettings(loadConfig('svc', base, [], { NODE_ENV: 'production', API_DOCS_ENABLED: 'true' }).values).docsEnabled).toBe(true);
    expect(edgeSettings(loadConfig('svc', base, [], { NODE_ENV: 'test', API_DOCS_ENABLED: '0' }).values).docsEnabled).toBe(false);
  });

  it('reads the environment when no configuration is given', () => {
    expect(edgeSettings(undefined, { NODE_ENV: 'production', HTTP_BODY_LIMIT_BYTES: '2048' })).toMatchObject({ production: true, bodyLimitBytes: 2048, docsEnabled: false });
  });

  it('treats METRICS_TOKEN as a secret in every service', () => {
    // when a service lists no secrets of its own
    const { redacted } = loadConfig('svc', base, [], { METRICS_TOKEN: 'a-long-metrics-token-value' });
    // then
    expect(redacted['METRICS_TOKEN']).toBe('***');
    expect(() => loadConfig('svc', base, [], { METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN.*\(secret\)/);
  });
});
