import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { LEDGER_ANCHOR_SOURCE, type AnchorSource, LEGACY, Ledger, type LedgerVerdict, joinVerdicts, verifyLegacyChain } from '@gov/ledger';
import { DataSource, type EntityManager } from 'typeorm';

export interface OpinionRecord {
  caseNumber: string;
  taskId: string;
  taskDefinitionKey: string;
  stepName: string | null;
  officerId: string;
  /** The name recorded with the action; under delegation both names, e.g. "副科长陈静（授权：处长李强）". */
  officerLabel: string;
  outcome: 'approve' | 'reject';
  opinion: string;
  createdAt: Date;
  /** The officer's signed opinion: compact JWS (ES256, x5c); null for opinions written before signing. */
  signature?: string | null;
  /** The serial of the certificate that signed it. */
  signerSerial?: string | null;
}

export interface StoredOpinion extends OpinionRecord {
  id: string;
  prevHash: string;
  hash: string;
  /** Position in the case's chain; null for opinions of the legacy (pre-ledger) chain. */
  seq: string | null;
}

type OpinionField = keyof OpinionRecord;

/** Opinions as a @gov/ledger ledger: one chain per case. */
export const opinionsLedger = new Ledger<OpinionField>({
  ledger: 'approval.opinions',
  table: 'opinions',
  rowIdColumn: 'id',
  fields: {
    caseNumber: { column: 'case_number', type: 'text' },
    taskId: { column: 'task_id', type: 'text' },
    taskDefinitionKey: { column: 'task_definition_key', type: 'text' },
    stepName: { column: 'step_name', type: 'text', nullable: true },
    officerId: { column: 'officer_id', type: 'text' },
    officerLabel: { column: 'officer_label', type: 'text' },
    outcome: { column: 'outcome', type: 'text' },
    opinion: { column: 'opinion', type: 'text' },
    createdAt: { column: 'created_at', type: 'timestamptz' },
    // Added after opinions were written: hashed only when set, so the chains of unsigned opinions verify as before.
    signature: { column: 'signature', type: 'text', nullable: true, addedLater: true },
    signerSerial: { column: 'signer_serial', type: 'text', nullable: true, addedLater: true },
  },
});

/** The hash of the legacy (pre-ledger) single chain; kept to verify the opinions written before the migration. */
export function opinionHash(prevHash: string, o: OpinionRecord): string {
  const canonical = JSON.stringify([o.caseNumber, o.taskId, o.taskDefinitionKey, o.stepName, o.officerId, o.officerLabel, o.outcome, o.opinion, o.createdAt.toISOString()]);
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

/** Opinions are appended to their case's hash chain; the database refuses updates and deletes. */
@Injectable()
export class OpinionsRepository {
  constructor(
    private readonly ds: DataSource,
    @Optional() @Inject(LEDGER_ANCHOR_SOURCE) private readonly anchors?: AnchorSource,
  ) {}

  /** Appends in the caller's transaction; only opinions of the same case wait on each other. */
  async append(manager: EntityManager, o: OpinionRecord): Promise<StoredOpinion> {
    const a = await opinionsLedger.append(manager, o.caseNumber, { ...o, signature: o.signature ?? null, signerSerial: o.signerSerial ?? null });
    const s = a.stored;
    return {
      caseNumber: s.caseNumber as string,
      taskId: s.taskId as string,
      taskDefinitionKey: s.taskDefinitionKey as string,
      stepName: s.stepName as string | null,
      officerId: s.officerId as string,
      officerLabel: s.officerLabel as string,
      outcome: o.outcome,
      opinion: s.opinion as string,
      createdAt: new Date(s.createdAt as string),
      signature: s.signature as string | null,
      signerSerial: s.signerSerial as string | null,
      id: a.rowId,
      prevHash: a.prevHash,
      hash: a.hash,
      seq: a.seq,
    };
  }

  /** The opinion appended for a step, if any, read in the caller's transaction. */
  async forTask(manager: EntityManager, caseNumber: string, taskId: string): Promise<StoredOpinion | undefined> {
    const rows = await manager.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM opinions WHERE case_number = $1 AND task_id = $2 ORDER BY id LIMIT 1`, [caseNumber, taskId]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** One opinion of a case by its id (undefined when the case has no such opinion). */
  async byId(caseNumber: string, id: string): Promise<StoredOpinion | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM opinions WHERE case_number = $1 AND id = $2::bigint`, [caseNumber, id]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** Whether the case's chain verifies, up to and including its head (the ledger's verdict for the one partition). */
  verifyCase(caseNumber: string): Promise<LedgerVerdict> {
    return opinionsLedger.verify(this.ds, { partition: caseNumber, anchors: this.anchors });
  }

  /**
   * A case's opinions in order. Inside a transaction, pass its manager: a second pool connection taken while the
   * transaction holds locks can starve the pool (every connection waiting behind the lock this one holds).
   */
  async forCase(caseNumber: string, manager?: EntityManager): Promise<StoredOpinion[]> {
    const rows = await (manager ?? this.ds).query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM opinions WHERE case_number = $1 ORDER BY chain_seq NULLS FIRST, id`, [caseNumber]);
    return rows.map(toStored);
  }

  /**
   * Every chain (the legacy one, then each case's), in pages, and against the heads identity signed when an anchor
   * source is wired.
   */
  async verify(opts: { pageSize?: number } = {}): Promise<LedgerVerdict> {
    const legacy = await verifyLegacyChain<LegacyRow>(
      this.ds,
      {
        ledger: opinionsLedger.ledger,
        table: 'opinions',
        orderColumn: 'id',
        select: `id::text AS ord, ${COLUMNS}`,
        hash: (prev, r) => opinionHash(prev, toStored(r)),
        report: (r) => String(r.id),
      },
      opts.pageSize,
    );
    if (!legacy.ok) return legacy;
    return joinVerdicts(legacy, await opinionsLedger.verify(this.ds, { anchors: this.anchors, pageSize: opts.pageSize }));
  }

  /** Returns the id of the first broken opinion, or null when every chain is intact (see `verify` for the reason). */
  async verifyChain(): Promise<string | null> {
    const v = await this.verify();
    if (!v.firstBroken) return null;
    return v.firstBroken.record ?? (v.firstBroken.partition === LEGACY ? v.firstBroken.seq : `${v.firstBroken.partition}#${v.firstBroken.seq}`);
  }
}

const COLUMNS = 'id, case_number, task_id, task_definition_key, step_name, officer_id, officer_label, outcome, opinion, created_at, signature, signer_serial, prev_hash, hash, chain_seq::text AS chain_seq';

interface LegacyRow extends Record<string, unknown> {
  ord: string;
  prev_hash: string;
  hash: string;
}

function toStored(r: Record<string, unknown>): StoredOpinion {
  return {
    id: String(r.id),
    caseNumber: r.case_number as string,
    taskId: r.task_id as string,
    taskDefinitionKey: r.task_definition_key as string,
    stepName: r.step_name as string | null,
    officerId: r.officer_id as string,
    officerLabel: r.officer_label as string,
    outcome: r.outcome as 'approve' | 'reject',
    opinion: r.opinion as string,
    createdAt: r.created_at as Date,
    signature: (r.signature as string | null) ?? null,
    signerSerial: (r.signer_serial as string | null) ?? null,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
    seq: (r.chain_seq as string | null) ?? null,
  };
}
