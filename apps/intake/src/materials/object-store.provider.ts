import { LocalDiskStore, type ObjectStore, S3Store } from '@gov/storage';
import type { Provider } from '@nestjs/common';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';

export const OBJECT_STORE = Symbol('OBJECT_STORE');

/** The material store from the configuration: the local disk by default, an S3-compatible store behind the same interface. */
export function objectStoreFrom(c: IntakeConfig): ObjectStore {
  switch (c.MATERIALS_STORE) {
    case 'local':
      return new LocalDiskStore(c.MATERIALS_DIR);
    case 's3':
      return new S3Store({
        endpoint: c.MATERIALS_S3_ENDPOINT ?? '',
        bucket: c.MATERIALS_S3_BUCKET ?? '',
        region: c.MATERIALS_S3_REGION,
        prefix: c.MATERIALS_S3_PREFIX,
        credentials: { accessKeyId: c.MATERIALS_S3_ACCESS_KEY_ID ?? '', secretAccessKey: c.MATERIALS_S3_SECRET_ACCESS_KEY ?? '' },
        stagingDir: `${c.MATERIALS_DIR}/staging`,
      });
  }
}

export const objectStoreProvider: Provider = { provide: OBJECT_STORE, inject: [INTAKE_CONFIG], useFactory: objectStoreFrom };
