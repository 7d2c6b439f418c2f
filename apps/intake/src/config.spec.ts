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
});
