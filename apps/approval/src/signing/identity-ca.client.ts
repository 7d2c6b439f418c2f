import { X509Certificate, randomUUID } from 'node:crypto';
import { compactVerify } from 'jose';
import { ServiceTokenClient } from '@gov/auth';
import { Inject, Injectable } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { ApprovalErrors } from '../errors';

export interface IssuedOfficerCertificate {
  serial: string;
  subject: string;
  userId: string;
  notBefore: string;
  notAfter: string;
  certificatePem: string;
}

export interface CertificateStatus {
  serial: string;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt: string | null;
  reason: string | null;
}

const TIMEOUT_MS = 5_000;

/**
 * Approval's calls to identity's CA: the CA chain, an officer certificate for a key approval holds (with the
 * officer's own token when they are acting as themselves, else with approval's service credential for the named
 * officer), and a certificate's status. Never called inside a transaction.
 */
@Injectable()
export class IdentityCaClient {
  private readonly base: string;
  private readonly tokens?: ServiceTokenClient;
  private chainCache?: Promise<{ root: string; issuing: string }>;

  constructor(@Inject(APPROVAL_CONFIG) config: ApprovalConfig) {
    this.base = config.IDENTITY_ISSUER.replace(/\/$/, '');
    const secret = config.SERVICE_CLIENT_SECRET ?? (config.NODE_ENV === 'production' ? undefined : 'demo-service-secret');
    if (secret) this.tokens = new ServiceTokenClient({ tokenUrl: `${this.base}/oauth/token`, clientId: 'approval', clientSecret: secret });
  }

  /** Identity's CA certificates (PEM), fetched once. */
  chain(): Promise<{ root: string; issuing: string }> {
    this.chainCache ??= this.call<{ root: string; issuing: string }>('GET', '/ca/chain').catch((e: unknown) => {
      this.chainCache = undefined;
      throw e;
    });
    return this.chainCache;
  }

  /**
   * An officer certificate for `publicKeyPem`. `ownAuthorization` is the officer's own bearer header (identity's
   * self-service path); without it approval's service client asks for the named officer (under delegation the
   * deputy's own token is not at hand).
   */
  async issueOfficerCertificate(officerId: string, publicKeyPem: string, ownAuthorization?: string): Promise<IssuedOfficerCertificate> {
    let auth: Record<string, string>;
    if (ownAuthorization) auth = { authorization: ownAuthorization };
    else if (this.tokens) auth = await this.tokens.authorizationHeader();
    else throw ApprovalErrors.error('IdentityUnavailable', 'SERVICE_CLIENT_SECRET is not set: approval cannot obtain a signing certificate for a deputy.');
    return this.call<IssuedOfficerCertificate>('POST', '/ca/certificates/officer', { userId: officerId, publicKeyPem }, { ...auth, 'idempotency-key': randomUUID() });
  }

  /** The certificate's status, as signed by identity's issuing CA (the signed body is used, not the plain one). */
  async status(serial: string): Promise<CertificateStatus> {
    const answer = await this.call<CertificateStatus & { jws: string }>('GET', `/ca/certificates/${encodeURIComponent(serial)}/status`);
    const issuing = new X509Certificate((await this.chain()).issuing);
    try {
      const { payload, protectedHeader } = await compactVerify(answer.jws, issuing.publicKey, { algorithms: ['ES256'] });
      if (protectedHeader.typ !== 'cert-status+jws') throw new Error('not a certificate status');
      const signed = JSON.parse(Buffer.from(payload).toString('utf8')) as CertificateStatus;
      if (signed.serial !== serial.toUpperCase()) throw new Error('the status names another certificate');
      return { serial: signed.serial, status: signed.status, revokedAt: signed.revokedAt, reason: signed.reason };
    } catch (e) {
      throw ApprovalErrors.error('IdentityUnavailable', `Identity's status answer for certificate ${serial} is not validly signed by its CA (${e instanceof Error ? e.message : String(e)}); try again shortly.`);
    }
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { accept: 'application/json', ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw ApprovalErrors.error('IdentityUnavailable', 'Identity is not answering; try again shortly.');
    }
    const text = await res.text();
    if (res.ok) return JSON.parse(text) as T;
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
      if (typeof parsed.message === 'string') detail = `${typeof parsed.error === 'string' ? `${parsed.error}: ` : ''}${parsed.message}`;
    } catch {
      // not JSON: keep the text
    }
    // A cached service token may predate a key rotation: the next request fetches a fresh one.
    if (res.status === 401) this.tokens?.invalidate();
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      throw ApprovalErrors.error('SigningCertificateRefused', `Identity refused ${method} ${path.split('/').slice(0, 3).join('/')}: ${detail}`);
    }
    throw ApprovalErrors.error('IdentityUnavailable', `Identity answered ${res.status} to ${method} ${path.split('/').slice(0, 3).join('/')}; try again shortly.`);
  }
}
