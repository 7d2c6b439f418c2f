import { Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '@gov/service-kit';
import type { Logger } from 'pino';
import { type AuditEntry, AuditRepository } from './audit.repository';
import { type ChainRecord, type ChainVerdict, GENESIS_HASH, verifyChain } from './hash-chain';

@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.repo.append(entry);
  }

  /** For callers that must not fail because auditing failed (e.g. a 401 path): logs the failure loudly. */
  recordInBackground(entry: AuditEntry): void {
    this.repo.append(entry).catch((e: unknown) => this.logger.error({ err: e, audit: entry }, 'audit append failed'));
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
      if (page.length > 0) start = { prevHash: verdict.lastHash, prevSeq: BigInt(page[page.length - 1]!.seq) };
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
