import { Inject, Injectable } from '@nestjs/common';
import { type AccessTokenClaims, Role, verifyTotp } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import { AuditService } from '../audit/audit.service';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { makeDummyHash, verifyPassword } from '../common/password';
import { DelegationService } from '../delegation/delegation.service';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import type { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { RefreshTokensRepository, ServiceClientsRepository } from './auth.repository';
import type { LoginDto, TokenResponse } from './dtos/auth.dto';
import { TokenService } from './token.service';

export interface RequestMeta {
  ip?: string;
}

/** A second-factor check other modules can plug in (certificate-signed challenge, see the CA module). */
export interface CertificateLoginVerifier {
  verifyLoginSignature(user: User, signature: string): Promise<boolean>;
}
export const CERTIFICATE_LOGIN_VERIFIER = Symbol('CERTIFICATE_LOGIN_VERIFIER');

const INVALID_CREDENTIALS = 'Unknown username or wrong password.';

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;
  private certVerifier?: CertificateLoginVerifier;

  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly orgs: OrganisationsRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly clients: ServiceClientsRepository,
    private readonly tokens: TokenService,
    private readonly delegations: DelegationService,
    private readonly audit: AuditService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  useCertificateVerifier(v: CertificateLoginVerifier): void {
    this.certVerifier = v;
  }

  async login(dto: LoginDto, meta: RequestMeta): Promise<TokenResponse> {
    const fail = async (status: number, code: string, message: string, user?: User, extra: Record<string, unknown> = {}): Promise<never> => {
      await this.audit.record({ actor: user?.id ?? null, actorLabel: dto.username, action: 'auth.login', outcome: 'failure', ip: meta.ip, details: { reason: code, ...extra } });
      throw new AppError(status, code, message);
    };
    // Attempts per address and per username are limited before this point (RatePolicy.Login, in PostgreSQL).
    const user = await this.users.byUsername(dto.username);
    if (!user || user.disabled) {
      // Same work as a real check, so response time does not reveal whether the username exists.
      this.dummyHash ??= makeDummyHash(this.config.PASSWORD_SCRYPT_LOG2N);
      await verifyPassword(dto.password, await this.dummyHash);
      return fail(401, 'InvalidCredentials', INVALID_CREDENTIALS);
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      return fail(423, 'AccountLocked', `The account is locked after repeated failures until ${user.lockedUntil.toISOString()}; ask an administrator to unlock it.`, user);
    }
    if (!(await verifyPassword(dto.password, user.passwordHash))) {
      const state = await this.users.recordFailure(user.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCK_SECONDS);
      return fail(401, 'InvalidCredentials', INVALID_CREDENTIALS, user, { failedLogins: state.failedLogins, locked: state.lockedUntil !== null });
    }

    let totpStep: number | undefined;
    if (user.kind === 'officer') {
      if (dto.totp) {
        const secret = this.usersService.decryptTotpSecret(user);
        totpStep = secret ? verifyTotp(secret, dto.totp) : undefined;
        if (totpStep === undefined) {
          await this.users.recordFailure(user.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCK_SECONDS);
          return fail(401, 'InvalidSecondFactor', 'The one-time code is wrong or expired.', user);
        }
      } else if (dto.certificateSignature) {
        const ok = this.certVerifier ? await this.certVerifier.verifyLoginSignature(user, dto.certificateSignature) : false;
        if (!ok) {
          await this.users.recordFailure(user.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCK_SECONDS);
          return fail(401, 'InvalidSecondFactor', 'The certificate signature is invalid, or the certificate is revoked or expired.', user);
        }
      } else {
        return fail(401, 'SecondFactorRequired', 'Officers need a second factor: send "totp" (authenticator code) or "certificateSignature".', user);
      }
    }
    if (!(await this.users.recordSuccess(user.id, totpStep))) {
      return fail(401, 'InvalidSecondFactor', 'This one-time code was already used; wait for the next one.', user);
    }
    const response = await this.tokensFor(user);
    await this.audit.record({ actor: user.id, actorLabel: user.displayName, action: 'auth.login', outcome: 'success', ip: meta.ip, details: { kind: user.kind, factor: user.kind === 'officer' ? (totpStep !== undefined ? 'totp' : 'certificate') : 'password' } });
    return response;
  }

  async refresh(refreshToken: string, meta: RequestMeta): Promise<TokenResponse> {
    const row = await this.refreshTokens.byToken(refreshToken);
    const refuse = async (code: string, message: string, details: Record<string, unknown> = {}): Promise<never> => {
      await this.audit.record({ actor: row?.userId ?? null, action: 'auth.refresh', outcome: 'failure', ip: meta.ip, details: { reason: code, ...details } });
      throw AppError.unauthorized(code, message);
    };
    if (!row) return refuse('InvalidRefreshToken', 'The refresh token is unknown; log in again.');
    if (row.revokedAt) return refuse('RevokedRefreshToken', 'The refresh token was revoked (logout); log in again.');
    if (row.expiresAt <= new Date()) return refuse('ExpiredRefreshToken', 'The refresh token has expired; log in again.');
    if (!(await this.refreshTokens.claim(row.id))) {
      // A rotated token presented again: someone holds a stolen copy. Revoke the whole login.
      const revoked = await this.refreshTokens.revokeFamily(row.familyId);
      return refuse('RefreshTokenReused', 'The refresh token was already used; for safety this login is revoked. Log in again.', { revoked });
    }
    const user = await this.users.byId(row.userId);
    if (!user || user.disabled) return refuse('InvalidRefreshToken', 'The account no longer exists or is disabled.');
    const response = await this.tokensFor(user, row.familyId);
    await this.audit.record({ actor: user.id, actorLabel: user.displayName, action: 'auth.refresh', outcome: 'success', ip: meta.ip });
    return response;
  }

  /** Revokes the refresh token's whole login (the family). Idempotent. */
  async logout(refreshToken: string, subject: string, meta: RequestMeta): Promise<void> {
    const row = await this.refreshTokens.byToken(refreshToken);
    if (!row || row.userId !== subject) {
      await this.audit.record({ actor: subject, action: 'auth.logout', outcome: 'failure', ip: meta.ip, details: { reason: 'not your refresh token' } });
      throw AppError.badRequest('InvalidRefreshToken', 'This refresh token does not belong to your login.');
    }
    const revoked = await this.refreshTokens.revokeFamily(row.familyId);
    await this.audit.record({ actor: subject, action: 'auth.logout', outcome: 'success', ip: meta.ip, details: { revoked } });
  }

  async clientCredentials(clientId: string, secret: string, meta: RequestMeta): Promise<TokenResponse> {
    const client = await this.clients.byId(clientId);
    const ok = client !== null && !client.disabled && (await verifyPassword(secret, client.secretHash));
    if (!ok) {
      await this.audit.record({ actor: clientId, action: 'auth.client-credentials', outcome: 'failure', ip: meta.ip, details: { reason: 'invalid client' } });
      throw AppError.unauthorized('InvalidClient', 'Unknown client or wrong client secret.');
    }
    const issued = await this.tokens.issue(client.clientId, { ptype: 'service', name: client.name, roles: [Role.Service], orgs: [] });
    await this.audit.record({ actor: clientId, actorLabel: client.name, action: 'auth.client-credentials', outcome: 'success', ip: meta.ip });
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn };
  }

  /** A deputy's token under a delegation: subject = the delegator, act = the deputy; expires with the delegation. */
  async delegatedToken(deputyId: string, delegationId: string, meta: RequestMeta): Promise<TokenResponse> {
    const d = await this.delegations.activeFor(delegationId, deputyId);
    if (!d) {
      await this.audit.record({ actor: deputyId, action: 'auth.delegated-token', target: delegationId, outcome: 'denied', ip: meta.ip });
      throw AppError.forbidden('NoActiveDelegation', 'No active delegation with this id is granted to you (it may have ended or been revoked).');
    }
    const [from, deputy] = await Promise.all([this.users.byId(d.fromUser), this.users.byId(deputyId)]);
    if (!from || !deputy) throw AppError.notFound('UserNotFound', 'The delegator or the deputy no longer exists.');
    const orgs = await this.orgs.withDescendants([d.orgCode]);
    const issued = await this.tokens.issue(
      from.id,
      { ptype: 'officer', name: from.displayName, roles: d.roles, orgs, act: { sub: deputy.id, name: deputy.displayName }, del: { id: d.id, mode: d.mode } },
      { notAfter: d.endsAt },
    );
    await this.audit.record({ actor: deputy.id, actorLabel: `${deputy.displayName}（授权：${from.displayName}）`, action: 'auth.delegated-token', target: d.id, outcome: 'success', ip: meta.ip, details: { onBehalfOf: from.id, roles: d.roles, orgCode: d.orgCode } });
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn };
  }

  async claimsFor(user: User): Promise<AccessTokenClaims> {
    if (user.kind === 'applicant') {
      return { ptype: 'applicant', name: user.displayName, roles: [Role.Applicant], orgs: [], ...(user.applicantId ? { aid: user.applicantId } : {}) };
    }
    const grants = await this.users.roles(user.id);
    const roles = [...new Set(grants.map((g) => g.role))];
    const orgs = await this.orgs.withDescendants([...new Set(grants.map((g) => g.orgCode))]);
    return { ptype: 'officer', name: user.displayName, roles, orgs };
  }

  private async tokensFor(user: User, familyId?: string): Promise<TokenResponse> {
    const issued = await this.tokens.issue(user.id, await this.claimsFor(user));
    const refresh = await this.refreshTokens.create(user.id, this.config.REFRESH_TOKEN_TTL_SECONDS, familyId);
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, refresh_token: refresh.token };
  }
}
