import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DataSource } from 'typeorm';
import { AuditRecord, type AuditOutcome } from './audit-record.entity';
import { type ChainRecord, GENESIS_HASH, chainHash } from './hash-chain';

export interface AuditEntry {
  actor: string | null;
  actorLabel?: string | null;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  details?: Record<string, unknown>;
}

// One advisory lock key serialises appends so the chain stays linear across replicas.
const CHAIN_LOCK = 0x61756469;

@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const last = await em.query<Array<{ seq: string; hash: string }>>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const prevHash = last[0]?.hash ?? GENESIS_HASH;
      const seq = String(BigInt(last[0]?.seq ?? '0') + 1n);
      const at = new Date();
      const fields = {
        seq,
        at: at.toISOString(),
        actor: entry.actor,
        actorLabel: entry.actorLabel ?? null,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome,
        ip: entry.ip ?? null,
        details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
      };
      const record = em.create(AuditRecord, { ...fields, at, prevHash, hash: chainHash(prevHash, fields) });
      await em.insert(AuditRecord, record as unknown as QueryDeepPartialEntity<AuditRecord>);
      return record;
    });
  }

  async list(filter: { actor?: string; action?: string; limit: number; beforeSeq?: string }): Promise<AuditRecord[]> {
    const qb = this.ds.getRepository(AuditRecord).createQueryBuilder('a').orderBy('a.seq', 'DESC').limit(filter.limit);
    if (filter.actor) qb.andWhere('a.actor = :actor', { actor: filter.actor });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.beforeSeq) qb.andWhere('a.seq < :before', { before: filter.beforeSeq });
    return qb.getMany();
  }

  /** Streams the chain in pages, oldest first. */
  async *chain(pageSize = 5000): AsyncGenerator<ChainRecord> {
    let after = '0';
    for (;;) {
      const rows = await this.ds.getRepository(AuditRecord).createQueryBuilder('a').where('a.seq > :after', { after }).orderBy('a.seq', 'ASC').limit(pageSize).getMany();
      for (const r of rows) yield toChainRecord(r);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].seq;
    }
  }
}

export function toChainRecord(r: AuditRecord): ChainRecord {
  return {
    seq: String(r.seq),
    at: r.at.toISOString(),
    actor: r.actor,
    actorLabel: r.actorLabel,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    details: r.details,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
