import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER } from '@gov/service-kit';
import type { Logger } from 'pino';
import { RateLimiter } from '../auth/rate-limiter';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { type AuditEntry, AuditRepository } from './audit.repository';
import { type ChainRecord, type ChainVerdict, GENESIS_HASH, verifyChain } from './hash-chain';

@Injectable()
export class AuditService implements OnModuleDestroy {
  private readonly pending = new Set<Promise<unknown>>();
  // Refusals are cheap to provoke; past this rate per source they are only logged, so a flood of junk tokens
  // cannot monopolise the (serialised) chain appends that logins also need.
  private readonly denialLimiter: RateLimiter;
  private suppressed = 0;

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

  list(filter: { actor?: string; action?: string; limit: number; beforeSeq?: string }) {
    return this.repo.list(filter);
  }

  /** Walks the chain page by page (memory stays bounded). */
  async verify(): Promise<ChainVerdict> {
    let start = { prevHash: GENESIS_HASH, prevSeq: 0n };
    let checked = 0;
    let page: ChainRecord[] = [];
    const flush = (): ChainVerdict | undefined => {
      const verdict = verifyChain(page, start);
      checked += verdict.checked;
      if (!verdict.ok) return { ...verdict, checked };
      if (page.length > 0) start = { prevHash: verdict.lastHash, prevSeq: BigInt(page[page.length - 1].seq) };
      page = [];
      return undefined;
    };
    for await (const r of this.repo.chain()) {
      page.push(r);
      if (page.length >= 5000) {
        const broken = flush();
        if (broken) return broken;
      }
    }
    return flush() ?? { ok: true, checked, lastHash: start.prevHash };
  }
}
