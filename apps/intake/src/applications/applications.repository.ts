import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { randomUUID } from 'node:crypto';
import { ApplicationHistory, type NoticeKind } from './application-history.entity';
import { Application, type ApplicationStatus } from './application.entity';

export interface HistoryEntry {
  action: string;
  notice: NoticeKind | null;
  /** null: automatic (no officer), e.g. deemed acceptance. */
  actor: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/** Who may see which applications, as a list filter. */
export type ApplicationScope = { all: true } | { applicantId: string } | { departmentCodes: readonly string[] };

export interface ApplicationFilter {
  scope: ApplicationScope;
  matterCode?: string;
  /** Keyset: only applications strictly after this one, newest first. */
  after?: { receivedAt: Date; id: string };
  limit: number;
}

@Injectable()
export class ApplicationsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(manager: EntityManager, application: Application): Promise<void> {
    // jsonb columns confuse TypeORM's deep-partial type; the entity is complete here.
    await manager.getRepository(Application).insert(application as QueryDeepPartialEntity<Application>);
  }

  findById(id: string): Promise<Application | null> {
    return this.ds.getRepository(Application).findOne({ where: { id } });
  }

  findByCaseNumber(caseNumber: string): Promise<Application | null> {
    return this.ds.getRepository(Application).findOne({ where: { caseNumber } });
  }

  /** Newest first, one query per page. */
  list(filter: ApplicationFilter): Promise<Application[]> {
    const q = this.ds.getRepository(Application).createQueryBuilder('a');
    const { scope } = filter;
    if ('applicantId' in scope) q.andWhere('a.applicant_id = :applicantId', { applicantId: scope.applicantId });
    else if ('departmentCodes' in scope) q.andWhere('a.department_code = ANY(:departmentCodes)', { departmentCodes: [...scope.departmentCodes] });
    if (filter.matterCode) q.andWhere('a.matter_code = :matterCode', { matterCode: filter.matterCode });
    if (filter.after) q.andWhere('(a.received_at, a.id) < (:afterAt, :afterId)', { afterAt: filter.after.receivedAt, afterId: filter.after.id });
    return q.orderBy('a.received_at', 'DESC').addOrderBy('a.id', 'DESC').limit(filter.limit).getMany();
  }

  /** The application, locked for the rest of the transaction (one state change at a time). */
  lock(manager: EntityManager, id: string): Promise<Application | null> {
    return manager.getRepository(Application).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(manager: EntityManager, id: string, patch: QueryDeepPartialEntity<Application>): Promise<void> {
    await manager.getRepository(Application).update({ id }, { ...patch, version: () => 'version + 1' });
  }

  async record(manager: EntityManager, applicationId: string, entry: HistoryEntry): Promise<void> {
    await manager.getRepository(ApplicationHistory).insert({ id: randomUUID(), applicationId, ...entry } as QueryDeepPartialEntity<ApplicationHistory>);
  }

  history(applicationId: string): Promise<ApplicationHistory[]> {
    return this.ds.getRepository(ApplicationHistory).find({ where: { applicationId }, order: { at: 'ASC' } });
  }

  /**
   * Applications in `statuses` whose `column` deadline has passed, locked; rows another replica holds are skipped,
   * so two sweepers never take the same application.
   */
  async lockDue(manager: EntityManager, statuses: readonly ApplicationStatus[], column: 'acceptance_due_at' | 'correction_deadline' | 'deferred_deadline', now: Date, limit: number): Promise<Application[]> {
    return manager
      .getRepository(Application)
      .createQueryBuilder('a')
      .where('a.status = ANY(:statuses)', { statuses: [...statuses] })
      .andWhere(`a.${column} < :now`, { now })
      .orderBy(`a.${column}`, 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** The departments' parts of a joint-window application, locked. */
  partsOf(manager: EntityManager, bundleId: string): Promise<Application[]> {
    return manager.getRepository(Application).find({ where: { bundleId }, order: { caseNumber: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  /** The parts of a joint-window application, for reading. */
  parts(bundleId: string): Promise<Application[]> {
    return this.ds.getRepository(Application).find({ where: { bundleId }, order: { caseNumber: 'ASC' } });
  }

  /** When the last correction was handed in (the deemed acceptance of a corrected application counts from it). */
  /** How many times an action was recorded for an application (the round of a correction notice). */
  async countActions(manager: EntityManager, applicationId: string, action: string): Promise<number> {
    const rows = await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM application_history WHERE application_id = $1 AND action = $2`, [applicationId, action]);
    return rows[0]?.n ?? 0;
  }

  async lastCorrectedAt(manager: EntityManager, applicationId: string): Promise<Date | null> {
    const rows = await manager.query<{ at: Date }[]>(`SELECT max(at) AS at FROM application_history WHERE application_id = $1 AND action = 'corrected'`, [applicationId]);
    return rows[0]?.at ?? null;
  }
}
