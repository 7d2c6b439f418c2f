import { type DynamicModule, Global, Logger, Module, type ModuleMetadata, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { LOGGER } from '@gov/service-kit';
import { DataSource } from 'typeorm';
import type { BatchWriterLogger } from './security-events/batch-writer';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { AuthGuard } from './auth.guard';
import { PUBLIC_RATE_POLICY, RateLimitGuard, type RateLimitPolicies } from './rate-limit/rate-limit.guard';
import { PgRateLimitStore, RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit/rate-limit.store';
import { OutboxSecurityEventSink } from './security-events/outbox-sink';
import { RefusalAuditInterceptor } from './security-events/refusal-audit.interceptor';
import { DiscardingSecurityEventSink, SECURITY_EVENT_SINK, SecurityEvents, type SecurityEventSink } from './security-events/security-events';
import { TokenVerifier } from './token-verifier';

export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => AuthOptions | Promise<AuthOptions>;
  /** Register the guard globally (deny by default). Default true. */
  global?: boolean;
}

/** Settings `forService` reads from a service's configuration. */
export interface AuthServiceConfig {
  IDENTITY_ISSUER: string;
  AUTH_AUDIENCE: string;
  /** Requests per minute and client address to any `@Public()` route. Default 600. */
  PUBLIC_RATE_PER_MINUTE_PER_IP?: number;
}

export const PUBLIC_RATE_PER_MINUTE_PER_IP_DEFAULT = 600;

/** Drains the security-event sink before the database pool closes (TypeORM closes on application shutdown). */
class SecurityEventsDrain implements OnModuleDestroy {
  constructor(private readonly events: SecurityEvents) {}
  async onModuleDestroy(): Promise<void> {
    await this.events.flush();
  }
}

/**
 * Token verification for a service. `forRoot` registers the guard as APP_GUARD, so a route without @Public()
 * needs a valid access token even if someone forgets @Authenticated(). With it come the rate-limit guard and
 * the refusal interceptor, which record every 401/403 as a security event.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return AuthModule.build([{ provide: AUTH_OPTIONS, useValue: options }], [], options.global ?? true);
  }

  /**
   * The usual set-up of a platform service: tokens of the identity service at IDENTITY_ISSUER, refusals logged
   * and written to the service's outbox for the platform audit trail, a generous per-client limit on its
   * `@Public()` routes (counters in its database).
   */
  static forService(config: AuthServiceConfig, logger: { warn(obj: object, msg: string): void }, rateLimits: RateLimitPolicies = {}): DynamicModule {
    return AuthModule.forRoot({
      issuer: config.IDENTITY_ISSUER,
      audience: config.AUTH_AUDIENCE,
      jwksUrl: `${config.IDENTITY_ISSUER}/.well-known/jwks.json`,
      onDenied: (e) => logger.warn(e, 'request refused by the auth kit'),
      securityEvents: 'outbox',
      rateLimitStore: 'postgres',
      // The service's own policies (`@RateLimit(name)` on its routes) next to the default one of its public routes.
      rateLimits: { [PUBLIC_RATE_POLICY]: [{ by: 'ip', limit: config.PUBLIC_RATE_PER_MINUTE_PER_IP ?? PUBLIC_RATE_PER_MINUTE_PER_IP_DEFAULT, windowSeconds: 60 }], ...rateLimits },
    });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return AuthModule.build(
      [{ provide: AUTH_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }],
      options.imports ?? [],
      options.global ?? true,
    );
  }

  private static build(optionProviders: Provider[], imports: NonNullable<ModuleMetadata['imports']>, global: boolean): DynamicModule {
    const providers: Provider[] = [
      ...optionProviders,
      { provide: TokenVerifier, useFactory: (o: AuthOptions) => new TokenVerifier(o), inject: [AUTH_OPTIONS] },
      {
        provide: SECURITY_EVENT_SINK,
        useFactory: (o: AuthOptions, ds?: DataSource, logger?: BatchWriterLogger): SecurityEventSink => {
          if (o.securityEvents === 'outbox') {
            if (!ds) throw new Error('AuthModule: securityEvents "outbox" needs a TypeORM DataSource (TypeOrmModule.forRoot) in the service');
            return new OutboxSecurityEventSink(ds, logger ?? nestLogger());
          }
          return o.securityEvents ?? new DiscardingSecurityEventSink();
        },
        inject: [AUTH_OPTIONS, { token: DataSource, optional: true }, { token: LOGGER, optional: true }],
      },
      {
        provide: RATE_LIMIT_STORE,
        useFactory: (o: AuthOptions, ds?: DataSource): RateLimitStore | undefined => {
          if (o.rateLimitStore === 'postgres') {
            if (!ds) throw new Error('AuthModule: rateLimitStore "postgres" needs a TypeORM DataSource (TypeOrmModule.forRoot) in the service');
            return new PgRateLimitStore(ds);
          }
          return o.rateLimitStore;
        },
        inject: [AUTH_OPTIONS, { token: DataSource, optional: true }],
      },
      SecurityEvents,
      { provide: SecurityEventsDrain, useFactory: (e: SecurityEvents) => new SecurityEventsDrain(e), inject: [SecurityEvents] },
      AuthGuard,
      RateLimitGuard,
      RefusalAuditInterceptor,
    ];
    if (global) {
      providers.push({ provide: APP_GUARD, useExisting: RateLimitGuard });
      providers.push({ provide: APP_GUARD, useExisting: AuthGuard });
      providers.push({ provide: APP_INTERCEPTOR, useExisting: RefusalAuditInterceptor });
    }
    return { module: AuthModule, imports, providers, exports: [AUTH_OPTIONS, TokenVerifier, AuthGuard, RateLimitGuard, SecurityEvents, RATE_LIMIT_STORE] };
  }
}

function nestLogger(): BatchWriterLogger {
  const logger = new Logger('SecurityEvents');
  return {
    warn: (obj: object, msg: string) => logger.warn({ ...obj, msg }),
    error: (obj: object, msg: string) => logger.error({ ...obj, msg }),
  };
}
