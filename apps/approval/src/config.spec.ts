import { randomBytes } from 'node:crypto';
import { ConfigError } from '@gov/service-kit';
import { DEV_SIGNING_KEY_KEK, loadApprovalConfig } from './config';

describe('approval configuration: SIGNING_KEY_KEK', () => {
  const kek = randomBytes(32).toString('base64');

  it('is optional outside production (the development key is used)', () => {
    expect(loadApprovalConfig({ NODE_ENV: 'development' }).values.SIGNING_KEY_KEK).toBeUndefined();
  });

  it('refuses to start in production without it, or with the development key', () => {
    expect(() => loadApprovalConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadApprovalConfig({ NODE_ENV: 'production' })).toThrow(/SIGNING_KEY_KEK/);
    expect(() => loadApprovalConfig({ NODE_ENV: 'production', SIGNING_KEY_KEK: DEV_SIGNING_KEY_KEK })).toThrow(/development key/);
  });

  it('accepts only base64 of 32 bytes, and redacts it', () => {
    expect(() => loadApprovalConfig({ SIGNING_KEY_KEK: randomBytes(16).toString('base64') })).toThrow(/SIGNING_KEY_KEK/);
    const { redacted } = loadApprovalConfig({ NODE_ENV: 'production', SIGNING_KEY_KEK: kek });
    expect(redacted['SIGNING_KEY_KEK']).toBe('***');
  });
});
