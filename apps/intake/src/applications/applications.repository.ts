import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Application } from './application.entity';

/** Who may see which applications, as a list filter. */
export type ApplicationScope = { all: true } | { applicantId: string } | { departmentCodes: readonly string[] };

export interface ApplicationFilter {
  scope: ApplicationScope;
  matterCode?: string;
  /** Keyset: only applications strictly after this one, newest first. */
  after?: { acceptedAt: Date; id: string };
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
    if (filter.after) q.andWhere('(a.accepted_at, a.id) < (:afterAt, :afterId)', { afterAt: filter.after.acceptedAt, afterId: filter.after.id });
    return q.orderBy('a.accepted_at', 'DESC').addOrderBy('a.id', 'DESC').limit(filter.limit).getMany();
  }
}
