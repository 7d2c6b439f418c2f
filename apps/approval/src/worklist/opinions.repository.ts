import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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
}

export interface StoredOpinion extends OpinionRecord {
  id: string;
  prevHash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

export function opinionHash(prevHash: string, o: OpinionRecord): string {
  const canonical = JSON.stringify([o.caseNumber, o.taskId, o.taskDefinitionKey, o.stepName, o.officerId, o.officerLabel, o.outcome, o.opinion, o.createdAt.toISOString()]);
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
}

/** Opinions are appended to one hash chain; the database refuses updates and deletes. */
@Injectable()
export class OpinionsRepository {
  constructor(private readonly ds: DataSource) {}

  async append(manager: EntityManager, o: OpinionRecord): Promise<StoredOpinion> {
    // One writer at a time extends the chain; the lock ends with the transaction.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('opinions-chain'))`);
    const last = await manager.query<{ hash: string }[]>(`SELECT hash FROM opinions ORDER BY id DESC LIMIT 1`);
    const prevHash = last[0]?.hash ?? GENESIS;
    const hash = opinionHash(prevHash, o);
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO opinions (case_number, task_id, task_definition_key, step_name, officer_id, officer_label, outcome, opinion, created_at, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
      [o.caseNumber, o.taskId, o.taskDefinitionKey, o.stepName, o.officerId, o.officerLabel, o.outcome, o.opinion, o.createdAt, prevHash, hash],
    );
    return { ...o, id: String(rows[0].id), prevHash, hash };
  }

  async forCase(caseNumber: string): Promise<StoredOpinion[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM opinions WHERE case_number = $1 ORDER BY id`, [caseNumber]);
    return rows.map(toStored);
  }

  /** Walks the whole chain; returns the id of the first row whose hash does not match, or null when intact. */
  async verifyChain(): Promise<string | null> {
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM opinions ORDER BY id`);
    let prev = GENESIS;
    for (const stored of rows.map(toStored)) {
      if (stored.prevHash !== prev || stored.hash !== opinionHash(prev, stored)) return stored.id;
      prev = stored.hash;
    }
    return null;
  }
}

const COLUMNS = 'id, case_number, task_id, task_definition_key, step_name, officer_id, officer_label, outcome, opinion, created_at, prev_hash, hash';

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
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
