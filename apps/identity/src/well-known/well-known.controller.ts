import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@gov/auth';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { KeysService, SIGNING_ALG } from '../keys/keys.service';

@ApiTags('discovery')
@Controller('.well-known')
@Public()
export class WellKnownController {
  constructor(
    private readonly keys: KeysService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  @Get('openid-configuration')
  @Header('Cache-Control', 'public, max-age=300')
  discovery() {
    const iss = this.config.IDENTITY_ISSUER.replace(/\/$/, '');
    return {
      issuer: this.config.IDENTITY_ISSUER,
      jwks_uri: `${iss}/.well-known/jwks.json`,
      token_endpoint: `${iss}/oauth/token`,
      revocation_endpoint: `${iss}/auth/logout`,
      grant_types_supported: ['password', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [SIGNING_ALG],
      access_token_signing_alg_values_supported: [SIGNING_ALG],
      claims_supported: ['iss', 'aud', 'sub', 'exp', 'iat', 'nbf', 'jti', 'ptype', 'name', 'roles', 'orgs', 'aid', 'act', 'del'],
      audience: this.config.IDENTITY_AUDIENCE,
    };
  }

  /** Short max-age: verifiers pick up a pre-published key well before it signs. */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  jwks() {
    return this.keys.jwks();
  }
}
