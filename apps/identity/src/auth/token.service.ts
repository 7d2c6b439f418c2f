import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from '@gov/auth';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { KeysService, SIGNING_ALG } from '../keys/keys.service';

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  jti: string;
}

/** Signs access tokens (typ at+jwt) with the active key. */
@Injectable()
export class TokenService {
  constructor(
    private readonly keys: KeysService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async issue(subject: string, claims: AccessTokenClaims, opts: { notAfter?: Date } = {}): Promise<IssuedAccessToken> {
    const { kid, key } = await this.keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    let exp = now + this.config.ACCESS_TOKEN_TTL_SECONDS;
    if (opts.notAfter) exp = Math.min(exp, Math.floor(opts.notAfter.getTime() / 1000));
    const jti = randomUUID();
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: SIGNING_ALG, typ: ACCESS_TOKEN_TYPE, kid })
      .setIssuer(this.config.IDENTITY_ISSUER)
      .setAudience(this.config.IDENTITY_AUDIENCE)
      .setSubject(subject)
      .setJti(jti)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .sign(key);
    return { token, expiresIn: exp - now, jti };
  }
}
