import { z } from 'zod';
import { ConfigError, env, loadConfig } from './config';

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
