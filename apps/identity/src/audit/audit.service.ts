import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER } from '@gov/service-kit';
import type { Logger } from 'pino';
import { RateLimiter } from '../auth/rate-limiter';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import type { AnchorSource, LedgerVerdict, ReanchorCheck } from '@gov/ledger';
import { type AuditEntry, type AuditFilter, AuditRepository } from './audit.repository';

@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly pending = new Set<Promise<unknown>>();
  // Refusals are cheap to provoke; past this rate per source they are only logged, so a flood of junk tokens
  // cannot monopolise the (serialised) chain appends that logins also need.
  private readonly denialLimiter: RateLimiter;
  private suppressed = 0;
  // Set by the anchors module: the published signed heads and the re-anchor signature check.
  private trust: { anchors?: AnchorSource; reanchors?: ReanchorCheck } = {};

  constructor(
    private readonly repo: AuditRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
  ) {
    this.denialLimiter = new RateLimiter(config.AUDIT_DENIALS_PER_MINUTE_PER_IP, 60_000);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.repo.append(entry);
  }

  /** For callers that must not fail because auditing failed (e.g. a 401 path): logs the failure loudly. */
  recordInBackground(entry: AuditEntry): void {
    const p = this.repo.append(entry).catch((e: unknown) => this.logger.error({ err: e, audit: entry }, 'audit append failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Records an authorisation refusal, rate-limited per source IP; suppressed ones are counted in the next record. */
  recordDenial(entry: AuditEntry): void {
    if (this.denialLimiter.hit(entry.ip ?? '?') > 0) {
      this.suppressed++;
      this.logger.warn({ audit: entry }, 'authorisation refusal not chained (rate limit); logged only');
      return;
    }
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.recordInBackground(suppressed > 0 ? { ...entry, details: { ...(entry.details ?? {}), suppressedSinceLast: suppressed } } : entry);
  }

  /** On shutdown, background records are written before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  list(filter: AuditFilter) {
    return this.repo.list(filter);
  }

  useAnchors(trust: { anchors: AnchorSource; reanchors: ReanchorCheck }): void {
    this.trust = trust;
  }

  /** Walks every chain page by page (memory stays bounded) and checks it against the published signed heads. */
  verify(): Promise<LedgerVerdict> {
    return this.repo.verify(this.trust);
  }
}
