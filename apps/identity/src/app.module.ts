import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@gov/auth';
import { ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import type { Logger } from 'pino';
import { AnchorsModule } from './anchors/anchors.module';
import { AuditModule } from './audit/audit.module';
import { AuditSecurityEventSink } from './audit/audit-security-sink';
import { AuditService } from './audit/audit.service';
import { identityRateLimits } from './auth/rate-limits';
import { IdentityAuthModule } from './auth/identity-auth.module';
import { CaModule } from './ca/ca.module';
import { IDENTITY_CONFIG, type IdentityConfig } from './config';
import { DelegationModule } from './delegation/delegation.module';
import { IDENTITY_ENTITIES } from './entities';
import { KeysModule } from './keys/keys.module';
import { KeysService } from './keys/keys.service';
import { OrganisationsModule } from './organisations/organisations.module';
import { SealsModule } from './seals/seals.module';
import { SeedModule } from './seed/seed.module';
import { UsersModule } from './users/users.module';
import { WellKnownModule } from './well-known/well-known.module';

@Global()
@Module({})
class IdentityConfigModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return { module: IdentityConfigModule, providers: [{ provide: IDENTITY_CONFIG, useValue: config }], exports: [IDENTITY_CONFIG] };
  }
}

/** The identity service: organisations, users, login and tokens, keys, delegation, CA, seals and audit. */
@Module({})
export class IdentityAppModule {
  static forRoot(config: IdentityConfig, logger: Logger): DynamicModule {
    return {
      module: IdentityAppModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'identity', logger }),
        IdentityConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config, config.IDENTITY_DB, { entities: IDENTITY_ENTITIES, poolSize: 10 }) }),
        AuditModule,
        KeysModule,
        // Identity verifies its own tokens in-process (same pinned checks as every other service, no HTTP to itself).
        // Its own security events go straight into its audit trail; rate-limit counters are in its database.
        AuthModule.forRootAsync({
          imports: [KeysModule],
          inject: [KeysService, AuditService],
          useFactory: (keys: KeysService, audit: AuditService) => ({
            issuer: config.IDENTITY_ISSUER,
            audience: config.IDENTITY_AUDIENCE,
            keyResolver: keys.keyResolver(),
            securityEvents: new AuditSecurityEventSink(audit),
            rateLimitStore: 'postgres' as const,
            rateLimits: identityRateLimits(config),
          }),
        }),
        OrganisationsModule,
        UsersModule,
        DelegationModule,
        IdentityAuthModule,
        WellKnownModule,
        CaModule,
        SealsModule,
        AnchorsModule,
        SeedModule,
      ],
    };
  }
}
