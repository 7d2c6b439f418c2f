import { Injectable } from '@nestjs/common';
import type { AnchorHead, SignedAnchor } from '@gov/ledger';
import { DataSource, type EntityManager } from 'typeorm';

export interface AnchoringKeyRow {
  id: string;
  certPem: string;
  privateKeyEnc: string;
  notAfter: Date;
}

/** Signed chain heads (append-only) and the anchoring key that signs them. */
@Injectable()
export class AnchorsRepository {
  constructor(private readonly ds: DataSource) {}

  async currentKey(): Promise<AnchoringKeyRow | null> {
    const rows = await this.ds.query<Array<{ id: string; cert_pem: string; private_key_enc: string; not_after: Date }>>(
      `SELECT id, cert_pem, private_key_enc, not_after FROM ledger_anchor_keys WHERE not_after > now() + interval '1 day' ORDER BY created_at DESC LIMIT 1`,
    );
    const r = rows[0];
    return r ? { id: r.id, certPem: r.cert_pem, privateKeyEnc: r.private_key_enc, notAfter: r.not_after } : null;
  }

  async insertKey(k: AnchoringKeyRow): Promise<void> {
    await this.ds.query(`INSERT INTO ledger_anchor_keys (id, cert_pem, private_key_enc, not_after) VALUES ($1, $2, $3, $4)`, [k.id, k.certPem, k.privateKeyEnc, k.notAfter]);
  }

  /** The anchor already held for this position, if any. */
  async at(manager: EntityManager, h: AnchorHead): Promise<SignedAnchor | null> {
    const rows = await manager.query<AnchorRow[]>(`SELECT ${COLUMNS} FROM ledger_anchors WHERE ledger = $1 AND partition = $2 AND seq = $3`, [h.ledger, h.partition, h.seq]);
    return rows[0] ? toAnchor(rows[0]) : null;
  }

  /** Inserts unless the position is already anchored; returns whether this call inserted it. */
  async insert(manager: EntityManager, a: SignedAnchor, submittedBy: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO ledger_anchors (ledger, partition, seq, hash, anchored_at, signature, submitted_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (ledger, partition, seq) DO NOTHING RETURNING id`,
      [a.ledger, a.partition, a.seq, a.hash, a.anchoredAt, a.signature, submittedBy],
    );
    return rows.length > 0;
  }

  /** The latest anchor of each partition of a ledger (or of one partition), ordered by partition, after `after`. */
  async latest(ledger: string, opts: { partition?: string; after?: string; limit: number }): Promise<SignedAnchor[]> {
    const rows = await this.ds.query<AnchorRow[]>(
      `SELECT DISTINCT ON (partition) ${COLUMNS} FROM ledger_anchors
        WHERE ledger = $1 AND ($2::text IS NULL OR partition = $2) AND partition > $3
        ORDER BY partition, seq DESC LIMIT $4`,
      [ledger, opts.partition ?? null, opts.after ?? '', opts.limit],
    );
    return rows.map(toAnchor);
  }
}

const COLUMNS = `ledger, partition, seq::text AS seq, hash, to_char(anchored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS anchored_at, signature`;

interface AnchorRow {
  ledger: string;
  partition: string;
  seq: string;
  hash: string;
  anchored_at: string;
  signature: string;
}

function toAnchor(r: AnchorRow): SignedAnchor {
  return { ledger: r.ledger, partition: r.partition, seq: r.seq, hash: r.hash, anchoredAt: r.anchored_at, signature: r.signature };
}
