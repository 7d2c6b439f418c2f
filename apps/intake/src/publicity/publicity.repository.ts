import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PublicityEntry } from './publicity.entity';

@Injectable()
export class PublicityRepository {
  constructor(private readonly ds: DataSource) {}

  /** Records a case's entry once (a redelivered decision leaves the first). */
  async insertIfAbsent(manager: EntityManager, entry: PublicityEntry): Promise<boolean> {
    const res = await manager.getRepository(PublicityEntry).createQueryBuilder().insert().values(entry).orIgnore().returning('case_number').execute();
    return (res.raw as unknown[]).length > 0;
  }

  /** Marks the due, unpublished entries published (SKIP LOCKED: replicas never take the same one) and returns them. */
  async publishDue(manager: EntityManager, now: Date, limit: number, caseNumber?: string): Promise<PublicityEntry[]> {
    const ids = await manager.query<Array<{ case_number: string }>>(
      `SELECT case_number FROM publicity_entries WHERE published_at IS NULL AND publish_at <= $1 ${caseNumber ? 'AND case_number = $3' : ''} ORDER BY publish_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      caseNumber ? [now, limit, caseNumber] : [now, limit],
    );
    if (ids.length === 0) return [];
    await manager.query(`UPDATE publicity_entries SET published_at = $2 WHERE case_number = ANY($1)`, [ids.map((r) => r.case_number), now]);
    return manager.getRepository(PublicityEntry).find({ where: ids.map((r) => ({ caseNumber: r.case_number })) });
  }

  /** The public feed: published entries, newest first. */
  async page(filter: { limit: number; offset: number; departmentCode?: string; matterCode?: string }): Promise<{ items: PublicityEntry[]; total: number }> {
    const qb = this.ds.getRepository(PublicityEntry).createQueryBuilder('p').where('p.published_at IS NOT NULL');
    if (filter.departmentCode) qb.andWhere('p.department_code = :d', { d: filter.departmentCode });
    if (filter.matterCode) qb.andWhere('p.matter_code = :m', { m: filter.matterCode });
    const [items, total] = await qb.orderBy('p.published_at', 'DESC').addOrderBy('p.case_number', 'DESC').limit(filter.limit).offset(filter.offset).getManyAndCount();
    return { items, total };
  }
}
