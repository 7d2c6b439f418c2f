import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AppError } from '@gov/service-kit';
import { SignJWT, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { AuthService, type CertificateLoginVerifier } from '../auth/auth.service';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { KeysService, SIGNING_ALG } from '../keys/keys.service';
import type { User } from '../users/user.entity';
import { CaService } from './ca.service';

const CHALLENGE_TYPE = 'login-challenge+jwt';
const CHALLENGE_TTL_S = 120;

/**
 * Second factor by certificate: identity hands out a signed, short-lived challenge; the officer returns it as the
 * payload of an ES256 JWS made with their certificate's key, x5c = [their certificate]. Each challenge works once.
 */
@Injectable()
export class CertificateLogin implements CertificateLoginVerifier, OnModuleInit {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly ca: CaService,
    private readonly keys: KeysService,
    private readonly auth: AuthService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  onModuleInit(): void {
    this.auth.useCertificateVerifier(this);
  }

  async challenge(username: string): Promise<{ challenge: string; expiresIn: number }> {
    const { kid, key } = await this.keys.signingKey();
    const challenge = await new SignJWT({ nonce: randomUUID() })
      .setProtectedHeader({ alg: SIGNING_ALG, typ: CHALLENGE_TYPE, kid })
      .setIssuer(this.config.IDENTITY_ISSUER)
      .setAudience(`${this.config.IDENTITY_ISSUER}/auth/login`)
      .setSubject(username)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${CHALLENGE_TTL_S}s`)
      .sign(key);
    return { challenge, expiresIn: CHALLENGE_TTL_S };
  }

  async verifyLoginSignature(user: User, signature: string): Promise<boolean> {
    try {
      const verified = await this.ca.verifyJws(signature);
      if (verified.certificate.kind !== 'officer' || verified.certificate.subjectUserId !== user.id) return false;
      const { payload } = await jwtVerify(verified.payload.toString('utf8'), this.keys.keyResolver(), {
        algorithms: [SIGNING_ALG],
        typ: CHALLENGE_TYPE,
        issuer: this.config.IDENTITY_ISSUER,
        audience: `${this.config.IDENTITY_ISSUER}/auth/login`,
        subject: user.username,
      });
      const jti = String(payload.jti);
      this.sweep();
      if (this.used.has(jti)) return false;
      this.used.set(jti, Date.now() + CHALLENGE_TTL_S * 1000);
      return true;
    } catch (e) {
      if (e instanceof AppError || e instanceof Error) return false;
      throw e;
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, until] of this.used) if (until < now) this.used.delete(k);
  }
}
