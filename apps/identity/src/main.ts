import 'reflect-metadata';
import { serviceMain } from '@gov/service-kit';
import { IdentityAppModule } from './app.module';
import { loadIdentityConfig } from './config';
import { IDENTITY_MIGRATIONS } from './migrations';

serviceMain({
  service: 'identity',
  description: 'Organisations, users, login and tokens (JWKS), delegation, CA and electronic seals, audit',
  loadConfig: loadIdentityConfig,
  database: (c) => c.IDENTITY_DB,
  migrations: IDENTITY_MIGRATIONS,
  module: (c, logger) => IdentityAppModule.forRoot(c, logger),
  port: (c) => c.IDENTITY_PORT,
  host: (c) => c.IDENTITY_HOST,
  beforeStart: (c, logger) => {
    if (c.kekIsDevDefault) logger.warn('IDENTITY_KEK is not set: using the public development key-encryption key (refused in production)');
  },
});
