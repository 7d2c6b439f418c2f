import { type DynamicModule, Global, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { AuthGuard } from './auth.guard';
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

/**
 * Token verification for a service. `forRoot` registers the guard as APP_GUARD, so a route without @Public()
 * needs a valid access token even if someone forgets @Authenticated().
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return AuthModule.build([{ provide: AUTH_OPTIONS, useValue: options }], [], options.global ?? true);
  }

  /** The usual set-up of a platform service: tokens of the identity service at IDENTITY_ISSUER, refusals logged. */
  static forService(config: { IDENTITY_ISSUER: string; AUTH_AUDIENCE: string }, logger: { warn(obj: object, msg: string): void }): DynamicModule {
    return AuthModule.forRoot({
      issuer: config.IDENTITY_ISSUER,
      audience: config.AUTH_AUDIENCE,
      jwksUrl: `${config.IDENTITY_ISSUER}/.well-known/jwks.json`,
      onDenied: (e) => logger.warn(e, 'request refused by the auth kit'),
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
      AuthGuard,
    ];
    if (global) providers.push({ provide: APP_GUARD, useExisting: AuthGuard });
    return { module: AuthModule, imports, providers, exports: [AUTH_OPTIONS, TokenVerifier, AuthGuard] };
  }
}
