import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DataSource, type EntityManager } from 'typeorm';
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
  /** The service where it happened. Default 'identity'. */
  service?: string;
  /** The request's trace id. */
  traceId?: string | null;
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
      const record = em.create(AuditRecord, { ...fields, at, prevHash, hash: chainHash(prevHash, fields), service: entry.service ?? 'identity', traceId: entry.traceId ?? null });
      await em.insert(AuditRecord, record as unknown as QueryDeepPartialEntity<AuditRecord>);
      return record;
    });
  }

  /**
   * Appends several records under one chain lock, in order (batched refusals, consumed platform events). With a
   * `manager`, inside the caller's transaction (a consumer's inbox row commits with the records).
   */
  async appendMany(entries: AuditEntry[], manager?: EntityManager): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    const work = async (em: EntityManager): Promise<AuditRecord[]> => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const last = await em.query<Array<{ seq: string; hash: string }>>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      let prevHash = last[0]?.hash ?? GENESIS_HASH;
      let seq = BigInt(last[0]?.seq ?? '0');
      const at = new Date();
      const records: AuditRecord[] = [];
      for (const entry of entries) {
        seq += 1n;
        const fields = {
          seq: String(seq),
          at: at.toISOString(),
          actor: entry.actor,
          actorLabel: entry.actorLabel ?? null,
          action: entry.action,
          target: entry.target ?? null,
          outcome: entry.outcome,
          ip: entry.ip ?? null,
          details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
        };
        const hash = chainHash(prevHash, fields);
        records.push(em.create(AuditRecord, { ...fields, at, prevHash, hash, service: entry.service ?? 'identity', traceId: entry.traceId ?? null }));
        prevHash = hash;
      }
      for (let i = 0; i < records.length; i += 500) {
        await em.insert(AuditRecord, records.slice(i, i + 500) as unknown as Array<QueryDeepPartialEntity<AuditRecord>>);
      }
      return records;
    };
    return manager ? work(manager) : this.ds.transaction(work);
  }

  async list(filter: { actor?: string; action?: string; limit: number; beforeSeq?: string; service?: string; traceId?: string }): Promise<AuditRecord[]> {
    const qb = this.ds.getRepository(AuditRecord).createQueryBuilder('a').orderBy('a.seq', 'DESC').limit(filter.limit);
    if (filter.service) qb.andWhere('a.service = :service', { service: filter.service });
    if (filter.traceId) qb.andWhere('a.trace_id = :traceId', { traceId: filter.traceId });
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
