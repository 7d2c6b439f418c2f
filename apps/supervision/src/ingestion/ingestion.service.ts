import { OrgScope, type Principal } from '@gov/auth';
import { ExchangeBatch, ExchangeRecord, type ExchangeRecordData } from '@gov/contracts';
import { enqueueEvents } from '@gov/messaging';
import { runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { SupervisionErrors } from '../errors';
import { IngestionRepository } from './ingestion.repository';
import { recordUuid, toEvent } from './record-to-event';

export interface RecordError {
  /** 1-based position of the record in `records`. */
  line: number;
  recordId: string | null;
  field: string;
  reason: string;
}

export interface BatchResult {
  system: string;
  received: number;
  /** Records applied now (each became one event). */
  applied: number;
  /** Records sent before (same department and record id): skipped. */
  duplicates: number;
}

const MAX_ERRORS_LISTED = 200;

/**
 * Ingests a batch from a department's own system: every record validated against the exchange format and the
 * caller's departments, the whole batch refused (nothing applied) if any record is bad, otherwise the new records
 * recorded and turned into their events in one transaction.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IngestionRepository,
  ) {}

  async ingest(body: unknown, principal: Principal, idempotencyKey: string): Promise<{ result: BatchResult; replayed: boolean }> {
    const batch = ExchangeBatch.safeParse(body);
    if (!batch.success) {
      const issue = batch.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      throw SupervisionErrors.error('IngestionBatchRefused', `${field}: ${issue?.message ?? 'invalid'}; nothing was applied.`, { field, errors: [{ line: 0, recordId: null, field, reason: issue?.message ?? 'invalid' }] });
    }
    const { system, records: raw } = batch.data;
    const errors: RecordError[] = [];
    const records: ExchangeRecordData[] = [];
    const seen = new Map<string, number>();
    raw.forEach((value, i) => {
      const line = i + 1;
      const parsed = ExchangeRecord.safeParse(value);
      if (!parsed.success) {
        errors.push({ line, recordId: recordIdOf(value), ...describe(parsed.error) });
        return;
      }
      const r = parsed.data;
      if (!OrgScope.canActOn(principal, { orgCode: r.departmentCode })) {
        errors.push({ line, recordId: r.recordId, field: 'departmentCode', reason: `${r.departmentCode} is not a department you may send records for` });
        return;
      }
      const key = `${r.departmentCode}\u0000${r.recordId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({ line, recordId: r.recordId, field: 'recordId', reason: `repeats the record id of line ${first} in this batch` });
        return;
      }
      seen.set(key, line);
      records.push(r);
    });
    if (errors.length > 0) {
      throw SupervisionErrors.error('IngestionBatchRefused', `${errors.length} of ${raw.length} records are bad (first: line ${errors[0].line}, ${errors[0].field}: ${errors[0].reason}); nothing was applied.`, {
        errors: errors.slice(0, MAX_ERRORS_LISTED),
        errorCount: errors.length,
      });
    }
    return runIdempotent(this.ds, `ingestion:${principal.subject}`, idempotencyKey, body, async (m) => {
      const fresh = await this.repo.insertNew(
        m,
        records.map((r) => ({ departmentCode: r.departmentCode, recordId: r.recordId, system, kind: r.kind, caseNumber: r.caseNumber, eventId: recordUuid(r.departmentCode, r.recordId) })),
      );
      const applied = records.filter((r) => fresh.has(`${r.departmentCode}\u0000${r.recordId}`));
      await enqueueEvents(m, applied.map((r) => toEvent(system, r)));
      return { system, received: records.length, applied: applied.length, duplicates: records.length - applied.length };
    });
  }
}

function recordIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)['recordId'];
  return typeof id === 'string' ? id.slice(0, 100) : null;
}

function describe(error: z.ZodError): { field: string; reason: string } {
  const issue = error.issues[0];
  return { field: issue?.path.join('.') || 'record', reason: issue?.message ?? 'invalid' };
}
