import { Injectable } from '@nestjs/common';
import { type AnchorSource, type LedgerVerdict, Ledger, type ReanchorCheck, type Sql, type StoredFields, storableText } from '@gov/ledger';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditOutcome } from './audit-record.entity';
import { type ChainRecord, GENESIS_HASH, chainHash } from './hash-chain';

export interface AuditEntry {
  actor: string | null;
  actorLabel?: string | null;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  details?: Record<string, unknown>;
  /** The service where it happened; 'identity' when absent. Each service's records form their own chain. */
  service?: string;
  traceId?: string | null;
}

export const AUDIT_LEDGER = 'identity.audit';
export const REANCHOR_ACTION = 'ledger.reanchored';
/** The frozen chain of records written before the ledger (no partition, the old hash). */
export const LEGACY_PARTITION = '(legacy)';

type AuditField = 'at' | 'actor' | 'actorLabel' | 'action' | 'target' | 'outcome' | 'ip' | 'details' | 'service' | 'traceId';

/** The audit trail as a @gov/ledger ledger: text capped to the column widths, so a hostile value is kept, shortened. */
export const auditLedger = new Ledger<AuditField>({
  ledger: AUDIT_LEDGER,
  table: 'audit_log',
  rowIdColumn: 'seq',
  fields: {
    at: { column: 'at', type: 'timestamptz' },
    actor: { column: 'actor', type: 'text', maxLength: 128, nullable: true },
    actorLabel: { column: 'actor_label', type: 'text', maxLength: 255, nullable: true },
    action: { column: 'action', type: 'text', maxLength: 64 },
    target: { column: 'target', type: 'text', maxLength: 255, nullable: true },
    outcome: { column: 'outcome', type: 'text', maxLength: 16 },
    ip: { column: 'ip', type: 'text', maxLength: 64, nullable: true },
    details: { column: 'details', type: 'jsonb' },
    service: { column: 'service', type: 'text', maxLength: 32 },
    traceId: { column: 'trace_id', type: 'text', maxLength: 64, nullable: true },
  },
  reanchor: {
    // A re-anchor record acknowledges breaks of its own chain (legacy ones are handled by the repository).
    where: `action = '${REANCHOR_ACTION}' AND details->'reanchor'->>'partition' = chain_partition`,
    statement: (f) => (f.details as { signature?: unknown } | null)?.signature,
  },
});

export interface AuditFilter {
  actor?: string;
  action?: string;
  service?: string;
  traceId?: string;
  limit: number;
  beforeSeq?: string;
}

export interface AuditView {
  seq: string;
  at: Date;
  actor: string | null;
  actorLabel: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  details: Record<string, unknown>;
  service: string;
  traceId: string | null;
  chainPartition: string | null;
  chainSeq: string | null;
  prevHash: string;
  hash: string;
}

interface LegacyHead {
  records: string;
  last_seq: string | null;
  last_hash: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  /** Appends to the chain of the entry's service; appends for different services do not wait on each other. */
  async append(entry: AuditEntry, manager?: EntityManager): Promise<AuditView> {
    const run = async (em: EntityManager) => {
      const service = entry.service ?? 'identity';
      const a = await auditLedger.append(em, storableText(service, 32), {
        at: new Date(),
        actor: entry.actor,
        actorLabel: entry.actorLabel ?? null,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome,
        ip: entry.ip ?? null,
        details: entry.details ?? {},
        service,
        traceId: entry.traceId ?? null,
      });
      return toView({ seq: a.rowId, partition: a.partition, chainSeq: a.seq, prevHash: a.prevHash, hash: a.hash, fields: a.stored });
    };
    return manager ? run(manager) : this.ds.transaction(run);
  }

  /**
   * Appends several records in order in one transaction (batched refusals, consumed platform events); with a
   * `manager`, inside the caller's transaction, so a consumer's inbox row commits with the records.
   */
  async appendMany(entries: AuditEntry[], manager?: EntityManager): Promise<AuditView[]> {
    if (entries.length === 0) return [];
    const run = async (em: EntityManager) => {
      const out: AuditView[] = [];
      for (const entry of entries) out.push(await this.append(entry, em));
      return out;
    };
    return manager ? run(manager) : this.ds.transaction(run);
  }

  async list(filter: AuditFilter): Promise<AuditView[]> {
    const rows = await this.ds.query<AuditRow[]>(
      `SELECT ${COLUMNS} FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR service = $3)
          AND ($4::text IS NULL OR trace_id = $4) AND ($5::bigint IS NULL OR seq < $5)
        ORDER BY seq DESC LIMIT $6`,
      [filter.actor ?? null, filter.action ?? null, filter.service ?? null, filter.traceId ?? null, filter.beforeSeq ?? null, filter.limit],
    );
    return rows.map(rowToView);
  }

  /** The current head of every chain (for anchoring), changed in (afterRowId, uptoRowId]. */
  changedHeads(range: { afterRowId: string; uptoRowId: string; afterPartition?: string; limit?: number }) {
    return auditLedger.changedHeads(this.ds, range);
  }

  maxRowId(): Promise<string> {
    return auditLedger.maxRowId(this.ds);
  }

  /** The last record of one chain, or null for an empty chain. */
  async head(partition: string): Promise<{ seq: string; hash: string } | null> {
    const rows = await this.ds.query<Array<{ seq: string; hash: string }>>(`SELECT chain_seq::text AS seq, hash FROM audit_log WHERE chain_partition = $1 ORDER BY chain_seq DESC LIMIT 1`, [partition]);
    return rows[0] ?? null;
  }

  legacyHead(): Promise<{ seq: string; hash: string } | null> {
    return legacyHeadOf(this.ds).then((h) => (h?.last_seq && h.last_hash ? { seq: h.last_seq, hash: h.last_hash } : null));
  }

  verify(opts: { anchors?: AnchorSource; reanchors?: ReanchorCheck; pageSize?: number } = {}): Promise<AuditVerdict> {
    return verifyAuditTrail(this.ds, opts);
  }
}

export type AuditVerdict = LedgerVerdict & { brokenAt?: string; reason?: string };

async function legacyHeadOf(db: Sql): Promise<LegacyHead | null> {
  const rows = (await db.query(`SELECT records::text, last_seq::text, last_hash FROM ledger_legacy_heads WHERE ledger = $1`, [AUDIT_LEDGER])) as LegacyHead[];
  return rows[0] ?? null;
}

/**
 * The whole trail: the legacy chain (old hash, in pages), then every service's chain through the ledger, then
 * the published anchors. A break acknowledged by a signed re-anchor record is reported as acknowledged.
 * `brokenAt`/`reason` repeat the first break in the shape the trail reported before the ledger.
 */
export async function verifyAuditTrail(db: Sql, opts: { anchors?: AnchorSource; reanchors?: ReanchorCheck; pageSize?: number } = {}): Promise<AuditVerdict> {
  const legacy = await verifyLegacy(db, opts.reanchors, opts.pageSize);
  const v: LedgerVerdict = legacy.ok ? await auditLedger.verify(db, { anchors: opts.anchors, reanchors: opts.reanchors, pageSize: opts.pageSize }) : legacy;
  const out: AuditVerdict = legacy.ok
    ? { ...v, checked: v.checked + legacy.checked, partitions: v.partitions + (legacy.checked > 0 ? 1 : 0), acknowledged: [...legacy.acknowledged, ...v.acknowledged] }
    : legacy;
  return out.firstBroken ? { ...out, brokenAt: out.firstBroken.seq, reason: out.firstBroken.detail } : out;
}

/** Signed statements of re-anchor records that acknowledge breaks of the legacy chain. */
async function* legacyReanchors(db: Sql): AsyncGenerator<{ seq: string; signature: unknown }> {
  const rows = (await db.query(`SELECT seq::text AS seq, details->'signature' AS s FROM audit_log WHERE action = $1 AND details->'reanchor'->>'partition' = $2 ORDER BY seq`, [REANCHOR_ACTION, LEGACY_PARTITION])) as Array<{ seq: string; s: unknown }>;
  for (const r of rows) yield { seq: r.seq, signature: r.s };
}

async function verifyLegacy(db: Sql, reanchors?: ReanchorCheck, pageSize = 5000): Promise<LedgerVerdict> {
  const verdict: LedgerVerdict = { ok: true, ledger: AUDIT_LEDGER, checked: 0, partitions: 0, anchorsChecked: 0, firstBroken: null, acknowledged: [] };
  const fail = (seq: string, reason: 'content-edited' | 'link-broken' | 'seq-gap' | 'record-deleted', detail: string): LedgerVerdict => ({
    ...verdict,
    ok: false,
    firstBroken: { ledger: AUDIT_LEDGER, partition: LEGACY_PARTITION, seq, record: seq, reason, detail },
  });
  const head = await legacyHeadOf(db);
  let prevHash = GENESIS_HASH;
  let prevSeq = 0n;
  let last: { seq: string; hash: string } | null = null;
  for (;;) {
    const rows = (await db.query(`SELECT ${COLUMNS} FROM audit_log WHERE chain_partition IS NULL AND seq > $1 ORDER BY seq LIMIT $2`, [String(prevSeq), pageSize])) as AuditRow[];
    for (const row of rows) {
      const r = legacyRecord(row);
      const seq = BigInt(r.seq);
      let problem: ['content-edited' | 'link-broken' | 'seq-gap', string] | null = null;
      if (seq !== prevSeq + 1n) problem = ['seq-gap', `sequence gap: expected ${prevSeq + 1n}, found ${seq}`];
      else if (r.prevHash !== prevHash) problem = ['link-broken', 'prev_hash does not match the previous record'];
      else {
        const { prevHash: _p, hash: _h, ...fields } = r;
        if (chainHash(r.prevHash, fields) !== r.hash) problem = ['content-edited', 'record content does not match its hash'];
      }
      if (problem) {
        // Acknowledged by a signed re-anchor record naming this break: verification goes on from the stored hash.
        const ack = await legacyAcknowledgement(db, r.seq, reanchors);
        if (!ack) return fail(r.seq, problem[0], problem[1]);
        verdict.acknowledged.push({ ledger: AUDIT_LEDGER, partition: LEGACY_PARTITION, seq: r.seq, record: r.seq, reason: problem[0], detail: problem[1], reanchoredAt: ack });
      } else verdict.checked++;
      prevHash = r.hash;
      prevSeq = seq;
      last = { seq: r.seq, hash: r.hash };
    }
    if (rows.length < pageSize) break;
  }
  // The legacy chain is frozen: it must end exactly where the migration recorded it.
  if (head && (head.last_seq ?? null) !== (last?.seq ?? null)) {
    return fail(last?.seq ?? '0', 'record-deleted', `the legacy chain ended at seq ${head.last_seq ?? 'none'} when it was frozen, now at ${last?.seq ?? 'none'}`);
  }
  if (head && last && head.last_hash !== last.hash) return fail(last.seq, 'content-edited', 'the last legacy record differs from the head recorded when the chain was frozen');
  return verdict;
}

/** The audit seq of a validly signed re-anchor record acknowledging the legacy break at `brokenAt`. */
async function legacyAcknowledgement(db: Sql, brokenAt: string, reanchors?: ReanchorCheck): Promise<string | null> {
  if (!reanchors) return null;
  for await (const r of legacyReanchors(db)) {
    try {
      const st = await reanchors.verify(r.signature);
      if (st.ledger === AUDIT_LEDGER && st.partition === LEGACY_PARTITION && st.brokenAt === brokenAt) return r.seq;
    } catch {
      // not a valid statement: it acknowledges nothing
    }
  }
  return null;
}

const COLUMNS = `seq::text AS seq, at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at_ms, actor, actor_label, action, target, outcome, ip, details, service, trace_id, chain_partition, chain_seq::text AS chain_seq, prev_hash, hash`;

interface AuditRow {
  seq: string;
  at: Date;
  at_ms: string;
  actor: string | null;
  actor_label: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  details: Record<string, unknown>;
  service: string;
  trace_id: string | null;
  chain_partition: string | null;
  chain_seq: string | null;
  prev_hash: string;
  hash: string;
}

function rowToView(r: AuditRow): AuditView {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    actorLabel: r.actor_label,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    details: r.details,
    service: r.service,
    traceId: r.trace_id,
    chainPartition: r.chain_partition,
    chainSeq: r.chain_seq,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toView(a: { seq: string; partition: string; chainSeq: string; prevHash: string; hash: string; fields: StoredFields<AuditField> }): AuditView {
  const f = a.fields;
  return {
    seq: a.seq,
    at: new Date(f.at as string),
    actor: f.actor as string | null,
    actorLabel: f.actorLabel as string | null,
    action: f.action as string,
    target: f.target as string | null,
    outcome: f.outcome as AuditOutcome,
    ip: f.ip as string | null,
    details: f.details as Record<string, unknown>,
    service: f.service as string,
    traceId: f.traceId as string | null,
    chainPartition: a.partition,
    chainSeq: a.chainSeq,
    prevHash: a.prevHash,
    hash: a.hash,
  };
}

/** A legacy row as the pre-ledger hash covered it (ISO time with milliseconds, the global seq). */
function legacyRecord(r: AuditRow): ChainRecord {
  return {
    seq: r.seq,
    at: r.at_ms,
    actor: r.actor,
    actorLabel: r.actor_label,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
