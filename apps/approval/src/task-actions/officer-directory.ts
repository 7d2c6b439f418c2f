import { ServiceTokenClient } from '@gov/auth';
import { Inject, Injectable } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { ApprovalErrors } from '../errors';

export interface DirectoryOfficer {
  id: string;
  displayName: string;
  kind: string;
  locked: boolean;
  /** Candidate groups the officer belongs to: `<role>:<organisation>`. */
  groups: string[];
}

/** Asks identity who an officer is and which roles they hold (service token; `GET /users/:id`). */
@Injectable()
export class OfficerDirectory {
  private readonly base: string;
  private readonly tokens?: ServiceTokenClient;

  constructor(@Inject(APPROVAL_CONFIG) config: ApprovalConfig) {
    this.base = config.IDENTITY_ISSUER.replace(/\/$/, '');
    const secret = config.SERVICE_CLIENT_SECRET ?? (config.NODE_ENV === 'production' ? undefined : 'demo-service-secret');
    if (secret) this.tokens = new ServiceTokenClient({ tokenUrl: `${this.base}/oauth/token`, clientId: 'approval', clientSecret: secret });
  }

  /** The officer, or undefined when identity knows no such user. */
  async officer(id: string): Promise<DirectoryOfficer | undefined> {
    if (!this.tokens) throw ApprovalErrors.error('IdentityUnavailable', 'SERVICE_CLIENT_SECRET is not set: approval cannot ask identity about the transfer target.');
    let res: Response;
    try {
      res = await this.fetchUser(id);
      if (res.status === 401) {
        // The cached service token may predate a key rotation: one more try with a fresh one.
        this.tokens.invalidate();
        res = await this.fetchUser(id);
      }
    } catch {
      throw ApprovalErrors.error('IdentityUnavailable', 'Identity is not answering; try the transfer again shortly.');
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw ApprovalErrors.error('IdentityUnavailable', `Identity answered ${res.status} when asked about the transfer target.`);
    const u = (await res.json()) as { id: string; displayName: string; kind: string; locked: boolean; roles: { orgCode: string; role: string }[] };
    return { id: u.id, displayName: u.displayName, kind: u.kind, locked: u.locked, groups: u.roles.map((r) => `${r.role}:${r.orgCode}`) };
  }

  private async fetchUser(id: string): Promise<Response> {
    const auth = await this.tokens!.authorizationHeader();
    return fetch(`${this.base}/users/${encodeURIComponent(id)}`, { headers: { ...auth, accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
  }
}
