import { ServiceTokenClient } from '@gov/auth';
import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';

export interface OrgInfo {
  code: string;
  name: string;
  kind: 'region' | 'department' | 'section';
  parentCode: string | null;
}

export interface SealResult {
  documentCode: string;
  sha256: string;
  sealSerial: string;
  sealedAt: string;
  jws: string;
}

/** Identity refused (4xx other than an expired token): retrying the same request will not help. */
export class IdentityRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityRefusal';
  }
}

const TIMEOUT_MS = 5_000;

/**
 * Intake's calls to identity with its service credential (client credentials of the `intake` client): the department a
 * notice is issued by, and the electronic seal (POST /seals/documents, idempotent for the same code and hash).
 */
@Injectable()
export class IdentityClient {
  private readonly base: string;
  private readonly tokens?: ServiceTokenClient;
  private readonly orgs = new Map<string, OrgInfo>();

  constructor(@Inject(INTAKE_CONFIG) config: IntakeConfig, @Inject(LOGGER) logger: Logger) {
    this.base = config.IDENTITY_ISSUER.replace(/\/$/, '');
    const secret = config.SERVICE_CLIENT_SECRET ?? (config.NODE_ENV === 'production' ? undefined : 'demo-service-secret');
    if (secret) this.tokens = new ServiceTokenClient({ tokenUrl: `${this.base}/oauth/token`, clientId: 'intake', clientSecret: secret });
    else logger.warn('SERVICE_CLIENT_SECRET is not set: notices cannot be sealed');
  }

  async organisation(code: string): Promise<OrgInfo> {
    const cached = this.orgs.get(code);
    if (cached) return cached;
    const org = await this.call<OrgInfo>('GET', `/organisations/${encodeURIComponent(code)}`);
    this.orgs.set(code, org);
    return org;
  }

  /** The department whose seal goes on notices of an organisation: itself if a department, else the nearest above. */
  async sealingDepartment(code: string): Promise<OrgInfo> {
    let org = await this.organisation(code);
    for (let depth = 0; org.kind === 'section' && org.parentCode && depth < 5; depth++) org = await this.organisation(org.parentCode);
    return org;
  }

  seal(body: { orgCode: string; documentCode: string; sha256: string; title: string }): Promise<SealResult> {
    return this.call<SealResult>('POST', '/seals/documents', body);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, retried = false): Promise<T> {
    if (!this.tokens) throw new IdentityRefusal(401, 'NoServiceCredential', 'intake has no service credential for identity (SERVICE_CLIENT_SECRET)');
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(await this.tokens.authorizationHeader()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.status === 401 && !retried) {
      this.tokens.invalidate();
      return this.call<T>(method, path, body, true);
    }
    const text = await res.text();
    if (res.ok) return JSON.parse(text) as T;
    let code = `HTTP${res.status}`;
    let message = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
      if (typeof parsed.error === 'string') code = parsed.error;
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not JSON: keep the text
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new IdentityRefusal(res.status, code, `identity ${method} ${path}: ${code}: ${message}`);
    throw new Error(`identity ${method} ${path}: HTTP ${res.status} ${code}: ${message}`);
  }
}
