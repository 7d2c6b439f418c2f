import { ConfigError } from '@gov/service-kit';
import { DEV_KEK, loadIdentityConfig } from './config';

describe('identity configuration', () => {
  it('uses the development key-encryption key outside production and flags it', () => {
    const { values, redacted } = loadIdentityConfig({ NODE_ENV: 'development' });
    expect(values.kek).toBe(DEV_KEK);
    expect(values.kekIsDevDefault).toBe(true);
    expect(redacted['IDENTITY_KEK']).toBeUndefined();
  });

  it('refuses to start in production without IDENTITY_KEK, or with the development key', () => {
    expect(() => loadIdentityConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadIdentityConfig({ NODE_ENV: 'production', IDENTITY_KEK: DEV_KEK })).toThrow(/development key/);
  });

  it('redacts the key-encryption key', () => {
    const { redacted } = loadIdentityConfig({ NODE_ENV: 'production', IDENTITY_KEK: 'k'.repeat(48) });
    expect(redacted['IDENTITY_KEK']).toBe('***');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadIdentityConfig({ IDENTITY_PORT: 'abc' })).toThrow(/IDENTITY_PORT/);
  });
});

describe('demo seed switch', () => {
  it('is on by default outside production and off in production unless asked for', () => {
    expect(loadIdentityConfig({ NODE_ENV: 'test' }).values.demoSeed).toBe(true);
    expect(loadIdentityConfig({ NODE_ENV: 'production', IDENTITY_KEK: 'k'.repeat(48) }).values.demoSeed).toBe(false);
    expect(loadIdentityConfig({ NODE_ENV: 'test', DEMO_SEED: 'false' }).values.demoSeed).toBe(false);
  });
});
