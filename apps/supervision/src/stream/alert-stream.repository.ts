import { randomUUID } from 'node:crypto';
import type { SupervisionAlertIssuedData } from '@gov/contracts';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The advisory lock key of stream appends. */
const STREAM_LOCK = 740_000_500;

export type AlertKind = SupervisionAlertIssuedData['kind'];

/** What a producer of an alert says; the stream adds the id, the seq and the time. */
export interface NewStreamAlert {
  kind: AlertKind;
  level: string;
  rule: string;
  ruleVersion?: number;
  /** Makes the alert idempotent: a second append with the same key writes nothing (restarts, redeliveries). */
  dedupeKey: string;
  caseNumber?: string | null;
  stepId?: string | null;
  officer?: string | null;
  orgCode?: string | null;
  tenantId?: string | null;
  evidence: Record<string, unknown>;
  raisedAt: Date;
}

export interface StreamAlert {
  seq: number;
  alertId: string;
  kind: AlertKind;
  level: string;
  rule: string;
  ruleVersion: number;
  caseNumber: string | null;
  stepId: string | null;
  officer: string | null;
  orgCode: string | null;
  evidence: Record<string, unknown>;
  raisedAt: string;
}

/**
 * The alert stream (append-only `alert_stream`): each entry is written once (by its dedupe key) and, in the same
 * transaction, its `gov.supervision.alert.issued` event goes to the outbox, so the SSE stream and the Kafka topic carry
 * exactly the same alerts.
 */
@Injectable()
export class AlertStreamRepository {
  constructor(private readonly ds: DataSource) {}

  async append(manager: EntityManager, a: NewStreamAlert): Promise<StreamAlert | null> {
    const id = randomUUID();
    // One writer at a time, held to commit: seqs become visible in order, so a reader resuming after seq N can never
    // see N+1 before N commits (nothing lost across a reconnect). Always the last lock an alert-writing transaction takes.
    await manager.query(`SELECT pg_advisory_xact_lock(${STREAM_LOCK})`);
    const rows = await manager.query<{ seq: string }[]>(
      `INSERT INTO alert_stream (id, kind, level, rule, rule_version, dedupe_key, case_number, step_id, officer, org_code, evidence, raised_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq`,
      [id, a.kind, a.level, a.rule, a.ruleVersion ?? 1, a.dedupeKey, a.caseNumber ?? null, a.stepId ?? null, a.officer ?? null, a.orgCode ?? null, JSON.stringify(a.evidence), a.raisedAt],
    );
    if (rows.length === 0) return null;
    const alert: StreamAlert = {
      seq: Number(rows[0].seq),
      alertId: id,
      kind: a.kind,
      level: a.level,
      rule: a.rule,
      ruleVersion: a.ruleVersion ?? 1,
      caseNumber: a.caseNumber ?? null,
      stepId: a.stepId ?? null,
      officer: a.officer ?? null,
      orgCode: a.orgCode ?? null,
      evidence: a.evidence,
      raisedAt: a.raisedAt.toISOString(),
    };
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.supervision.alert.issued',
        source: '/supervision',
        subject: a.caseNumber ?? `supervision:${a.kind}`,
        tenantId: a.tenantId ?? undefined,
        data: { ...alert, seq: String(alert.seq) },
      }),
    );
    return alert;
  }

  /**
   * Entries after `afterSeq`, oldest first. `orgs` undefined: everything; otherwise entries of those organisations,
   * plus the platform-wide ones (no organisation) when `platformWide`.
   */
  async after(afterSeq: number, filter: { orgs?: readonly string[]; platformWide: boolean; caseNumber?: string; kind?: AlertKind }, limit = 200): Promise<StreamAlert[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT * FROM alert_stream
        WHERE seq > $1
          AND ($2::text[] IS NULL OR org_code = ANY($2::text[]) OR (org_code IS NULL AND $3::boolean))
          AND ($4::text IS NULL OR case_number = $4) AND ($5::text IS NULL OR kind = $5)
        ORDER BY seq LIMIT $6`,
      [afterSeq, filter.orgs ? [...filter.orgs] : null, filter.platformWide, filter.caseNumber ?? null, filter.kind ?? null, limit],
    );
    return rows.map(toAlert);
  }

  async lastSeq(): Promise<number> {
    const [r] = await this.ds.query<{ seq: string | null }[]>(`SELECT max(seq) AS seq FROM alert_stream`);
    return Number(r?.seq ?? 0);
  }
}

function toAlert(r: Record<string, unknown>): StreamAlert {
  return {
    seq: Number(r.seq),
    alertId: r.id as string,
    kind: r.kind as AlertKind,
    level: r.level as string,
    rule: r.rule as string,
    ruleVersion: r.rule_version as number,
    caseNumber: r.case_number as string | null,
    stepId: r.step_id as string | null,
    officer: r.officer as string | null,
    orgCode: r.org_code as string | null,
    evidence: r.evidence as Record<string, unknown>,
    raisedAt: (r.raised_at as Date).toISOString(),
  };
}
