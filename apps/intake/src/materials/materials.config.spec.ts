import { LocalDiskStore, S3Store } from '@gov/storage';
import { ConfigError } from '@gov/service-kit';
import { loadIntakeConfig } from '../config';
import { objectStoreFrom } from './object-store.provider';

describe('materials configuration', () => {
  it('defaults to the local-disk store', () => {
    const { values } = loadIntakeConfig({});
    expect(values.MATERIALS_STORE).toBe('local');
    expect(objectStoreFrom(values)).toBeInstanceOf(LocalDiskStore);
  });

  it('refuses to start with a half-configured S3 store, naming each missing variable', () => {
    // given an S3 store with only its endpoint
    const env = { MATERIALS_STORE: 's3', MATERIALS_S3_ENDPOINT: 'https://s3.example.gov.cn' };
    // when / then
    expect(() => loadIntakeConfig(env)).toThrow(ConfigError);
    try {
      loadIntakeConfig(env);
    } catch (e) {
      for (const key of ['MATERIALS_S3_BUCKET', 'MATERIALS_S3_ACCESS_KEY_ID', 'MATERIALS_S3_SECRET_ACCESS_KEY'])
        expect((e as ConfigError).message).toContain(key);
    }
  });

  it('builds the S3 store from a complete configuration and never shows its secret key', () => {
    const { values, redacted } = loadIntakeConfig({
      MATERIALS_STORE: 's3',
      MATERIALS_S3_ENDPOINT: 'https://s3.example.gov.cn',
      MATERIALS_S3_BUCKET: 'intake-materials',
      MATERIALS_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      MATERIALS_S3_SECRET_ACCESS_KEY: 'very-secret-key',
    });
    const store = objectStoreFrom(values);
    expect(store).toBeInstanceOf(S3Store);
    expect((store as S3Store).urlOf('a'.repeat(64)).toString()).toBe(`https://s3.example.gov.cn/intake-materials/materials/${'a'.repeat(64)}`);
    expect(JSON.stringify(redacted)).not.toContain('very-secret-key');
  });
});
