import { ConfigError } from '@gov/service-kit';
import { loadIntakeConfig } from './config';

describe('intake configuration', () => {
  it('starts with local defaults', () => {
    const { values } = loadIntakeConfig({});
    expect(values.INTAKE_PORT).toBe(3002);
    expect(values.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });

  it('refuses a bad port and says which variable is wrong, without echoing secrets', () => {
    expect(() => loadIntakeConfig({ INTAKE_PORT: 'eighty', DB_PASSWORD: 'hunter2-secret', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadIntakeConfig({ INTAKE_PORT: 'eighty', DB_PASSWORD: 'hunter2-secret', LOG_LEVEL: 'loud' });
    } catch (e) {
      expect((e as ConfigError).message).toMatch(/INTAKE_PORT/);
      expect((e as ConfigError).message).toMatch(/LOG_LEVEL/);
      expect((e as ConfigError).message).not.toContain('hunter2');
    }
  });

  it('delivers through the mail drop by default and refuses a channel without its settings, naming the variable', () => {
    // given / when
    const { values } = loadIntakeConfig({});
    // then
    expect(values.NOTIFY_CHANNELS).toEqual(['mail-drop']);
    expect(() => loadIntakeConfig({ NOTIFY_CHANNELS: 'mail-drop,email' })).toThrow(/SMTP_URL: required when NOTIFY_CHANNELS has email/);
    expect(() => loadIntakeConfig({ NOTIFY_CHANNELS: 'sms', SMS_ENDPOINT: 'http://127.0.0.1:9/sms' })).toThrow(/SMS_ENDPOINT and SMS_TOKEN are required/);
    expect(() => loadIntakeConfig({ NOTIFY_CHANNELS: 'pigeon' })).toThrow(/unknown channel pigeon/);
  });

  it('never echoes the SMTP URL (it carries the password) or the SMS token', () => {
    try {
      loadIntakeConfig({ SMTP_URL: 'not a url with secret-pass', SMS_TOKEN: 'short' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toMatch(/SMTP_URL/);
      expect((e as ConfigError).message).not.toContain('secret-pass');
    }
    const { redacted } = loadIntakeConfig({ SMTP_URL: 'smtp://user:secret-pass@127.0.0.1:2525', NOTIFY_CHANNELS: 'email' });
    expect(JSON.stringify(redacted)).not.toContain('secret-pass');
  });
});
