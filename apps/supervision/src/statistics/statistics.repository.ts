import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type CaseAttribution, type Dimension, dimensionKeys } from './dimensions';
import { type Period, periodKeys } from './periods';
import { HIST_BUCKETS, type RollupCounters, bucketOf } from './rollup-math';

/** Counter columns a bump may add to. */
export const COUNTERS = [
  'received',
  'accepted',
  'decided',
  'on_time',
  'used_wd_sum',
  'statutory_wd_sum',
  'promised_wd_sum',
  'promised_count',
  'promised_on_time',
  'returns',
  'suspensions',
  'reds',
  'yellows',
  'anomalies',
  'complaints',
  'ratings',
  'rating_sum',
  'bad_ratings',
  'case_reds',
  'case_yellows',
  'consultations',
  'consultations_overdue',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Deltas = Partial<Record<Counter, number>> & { usedWorkingDays?: number };

export interface CaseFacts extends CaseAttribution {
  caseNumber: string;
  tenantId: string | null;
  statutoryLimitWd: number | null;
  promisedLimitWd: number | null;
  acceptedAt: Date | null;
  decidedAt: Date | null;
  workingDaysUsed: number | null;
}

export interface RollupRow extends RollupCounters {
  dim: Dimension;
  dimKey: string;
  period: Period;
  periodKey: string;
}

interface RawRollup {
  dim: Dimension;
  dim_key: string;
  period: Period;
  period_key: string;
  received: number;
  accepted: number;
  decided: number;
  on_time: number;
  used_wd_sum: string;
  statutory_wd_sum: string;
  promised_wd_sum: string;
  promised_count: number;
  promised_on_time: number;
  used_hist: number[];
  returns: number;
  suspensions: number;
  reds: number;
  yellows: number;
  anomalies: number;
  complaints: number;
  ratings: number;
  rating_sum: number;
  bad_ratings: number;
  case_reds: number;
  case_yellows: number;
  consultations: number;
  consultations_overdue: number;
}

const ROLLUP_COLUMNS = `dim, dim_key, period, period_key, ${COUNTERS.join(', ')}, used_hist`;

/** Statistics SQL: case facts and rollups. */
@Injectable()
export class StatisticsRepository {
  constructor(private readonly ds: DataSource) {}

  async facts(manager: EntityManager, caseNumber: string): Promise<CaseFacts | undefined> {
    const rows = await manager.query<Array<Record<string, unknown>>>(`SELECT * FROM stats_cases WHERE case_number = $1 FOR UPDATE`, [caseNumber]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      caseNumber: r['case_number'] as string,
      tenantId: r['tenant_id'] as string | null,
      departmentCode: r['department_code'] as string | null,
      sectionCode: r['section_code'] as string | null,
      officerId: r['officer_id'] as string | null,
      city: r['city'] as string | null,
      county: r['county'] as string | null,
      township: r['township'] as string | null,
      statutoryLimitWd: r['statutory_limit_wd'] as number | null,
      promisedLimitWd: r['promised_limit_wd'] as number | null,
      acceptedAt: r['accepted_at'] as Date | null,
      decidedAt: r['decided_at'] as Date | null,
      workingDaysUsed: r['working_days_used'] as number | null,
    };
  }

  async saveFacts(manager: EntityManager, f: CaseFacts): Promise<void> {
    await manager.query(
      `INSERT INTO stats_cases (case_number, tenant_id, department_code, section_code, officer_id, city, county, township, statutory_limit_wd, promised_limit_wd, accepted_at, decided_at, working_days_used)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (case_number) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, department_code = EXCLUDED.department_code, section_code = EXCLUDED.section_code,
         officer_id = EXCLUDED.officer_id, city = EXCLUDED.city, county = EXCLUDED.county, township = EXCLUDED.township,
         statutory_limit_wd = EXCLUDED.statutory_limit_wd, promised_limit_wd = EXCLUDED.promised_limit_wd, accepted_at = EXCLUDED.accepted_at,
         decided_at = EXCLUDED.decided_at, working_days_used = EXCLUDED.working_days_used`,
      [f.caseNumber, f.tenantId, f.departmentCode, f.sectionCode, f.officerId, f.city, f.county, f.township, f.statutoryLimitWd, f.promisedLimitWd, f.acceptedAt, f.decidedAt, f.workingDaysUsed],
    );
  }

  /**
   * Adds `deltas` to the rollups of every dimension of `attribution` in every period containing `at`: one statement,
   * in the caller's (inbox) transaction. `usedWorkingDays` adds one to that histogram bucket.
   */
  async bump(manager: EntityManager, attribution: CaseAttribution, at: Date, deltas: Deltas): Promise<void> {
    const keys = dimensionKeys(attribution);
    if (keys.length === 0) return;
    const counters = COUNTERS.map((c) => deltas[c] ?? 0);
    const bucket = deltas.usedWorkingDays === undefined ? null : bucketOf(deltas.usedWorkingDays) + 1;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const k of keys) {
      for (const p of periodKeys(at)) {
        const base = values.length;
        values.push(k.dim, k.key, p.period, p.key, k.scope);
        tuples.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5})`);
      }
    }
    const c0 = values.length;
    values.push(...counters, bucket);
    const counterParams = COUNTERS.map((_, i) => `$${c0 + i + 1}::bigint`);
    const bucketParam = `$${c0 + COUNTERS.length + 1}::int`;
    const hist = (current: string) =>
      `CASE WHEN ${bucketParam} IS NULL THEN ${current} ELSE ARRAY(SELECT COALESCE((${current})[i], 0) + CASE WHEN i = ${bucketParam} THEN 1 ELSE 0 END FROM generate_series(1, ${HIST_BUCKETS}) i ORDER BY i) END`;
    await manager.query(
      `INSERT INTO stats_rollups (dim, dim_key, period, period_key, scope, ${COUNTERS.join(', ')}, used_hist)
       SELECT v.dim, v.dim_key, v.period, v.period_key, v.scope, ${counterParams.join(', ')}, ${hist(`'{}'::int[]`)}
       FROM (VALUES ${tuples.join(', ')}) AS v(dim, dim_key, period, period_key, scope)
       ON CONFLICT (dim, dim_key, period, period_key) DO UPDATE SET
         ${COUNTERS.map((c) => `${c} = stats_rollups.${c} + EXCLUDED.${c}`).join(', ')},
         used_hist = ${hist('stats_rollups.used_hist')}`,
      values,
    );
  }

  /** Horizontal: every key of a dimension in one period, within the visible scopes (undefined = all). */
  async horizontal(dim: Dimension, period: Period, periodKey: string, scopes: readonly string[] | undefined): Promise<RollupRow[]> {
    const rows = await this.ds.query<RawRollup[]>(
      `SELECT ${ROLLUP_COLUMNS} FROM stats_rollups
       WHERE period = $1 AND period_key = $2 AND dim = $3 AND ($4::text[] IS NULL OR scope = ANY($4) OR (dim = 'township' AND left(scope, 6) = ANY($4)))
       ORDER BY dim_key LIMIT 5000`,
      [period, periodKey, dim, scopes ?? null],
    );
    return rows.map(toRow);
  }

  /** Vertical: one key over a range of periods (inclusive), oldest first. */
  async vertical(dim: Dimension, key: string, period: Period, from: string, to: string, scopes: readonly string[] | undefined): Promise<RollupRow[]> {
    const rows = await this.ds.query<RawRollup[]>(
      `SELECT ${ROLLUP_COLUMNS} FROM stats_rollups
       WHERE dim = $1 AND dim_key = $2 AND period = $3 AND period_key BETWEEN $4 AND $5 AND ($6::text[] IS NULL OR scope = ANY($6) OR (dim = 'township' AND left(scope, 6) = ANY($6)))
       ORDER BY period_key LIMIT 5000`,
      [dim, key, period, from, to, scopes ?? null],
    );
    return rows.map(toRow);
  }
}

function toRow(r: RawRollup): RollupRow {
  return {
    dim: r.dim,
    dimKey: r.dim_key,
    period: r.period,
    periodKey: r.period_key,
    received: r.received,
    accepted: r.accepted,
    decided: r.decided,
    onTime: r.on_time,
    usedWdSum: Number(r.used_wd_sum),
    statutoryWdSum: Number(r.statutory_wd_sum),
    promisedWdSum: Number(r.promised_wd_sum),
    promisedCount: r.promised_count,
    promisedOnTime: r.promised_on_time,
    usedHist: r.used_hist,
    returns: r.returns,
    suspensions: r.suspensions,
    reds: r.reds,
    yellows: r.yellows,
    anomalies: r.anomalies,
    complaints: r.complaints,
    ratings: r.ratings,
    ratingSum: r.rating_sum,
    badRatings: r.bad_ratings,
    caseReds: r.case_reds,
    caseYellows: r.case_yellows,
    consultations: r.consultations,
    consultationsOverdue: r.consultations_overdue,
  };
}
