import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RatingCaseEntity, RatingEntity, RectificationEntity } from './rating.entity';

/** Ratings SQL. */
@Injectable()
export class RatingsRepository {
  constructor(private readonly ds: DataSource) {}

  async caseAccepted(m: EntityManager, caseNumber: string, applicantId: string, departmentCode: string): Promise<void> {
    await m.query(
      `INSERT INTO rating_cases (case_number, applicant_id, department_code) VALUES ($1, $2, $3)
       ON CONFLICT (case_number) DO UPDATE SET applicant_id = EXCLUDED.applicant_id, department_code = EXCLUDED.department_code`,
      [caseNumber, applicantId, departmentCode],
    );
  }

  async caseDecided(m: EntityManager, caseNumber: string, decidedAt: Date): Promise<void> {
    await m.query(
      `INSERT INTO rating_cases (case_number, decided_at) VALUES ($1, $2)
       ON CONFLICT (case_number) DO UPDATE SET decided_at = COALESCE(rating_cases.decided_at, EXCLUDED.decided_at)`,
      [caseNumber, decidedAt],
    );
  }

  ratingCase(m: EntityManager, caseNumber: string): Promise<RatingCaseEntity | null> {
    return m.getRepository(RatingCaseEntity).findOneBy({ caseNumber });
  }

  /** Inserts the rating unless the case already has one of its kind; false when it had. */
  async insertRating(m: EntityManager, r: RatingEntity): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO ratings (id, case_number, kind, grade, grades, indicator_set, comment, applicant_subject, rated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (case_number, kind) DO NOTHING RETURNING id`,
      [r.id, r.caseNumber, r.kind, r.grade, JSON.stringify(r.grades), r.indicatorSet, r.comment, r.applicantSubject, r.ratedAt],
    );
    return rows.length === 1;
  }

  async insertRectification(m: EntityManager, r: RectificationEntity): Promise<void> {
    await m.getRepository(RectificationEntity).insert(r);
  }

  lockRectification(m: EntityManager, id: string): Promise<RectificationEntity | null> {
    return m.getRepository(RectificationEntity).createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  async updateRectification(m: EntityManager, r: RectificationEntity, changes: Partial<RectificationEntity>): Promise<boolean> {
    const res = await m
      .getRepository(RectificationEntity)
      .createQueryBuilder()
      .update()
      .set({ ...changes, version: r.version + 1 })
      .where('id = :id AND version = :version', { id: r.id, version: r.version })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  rectification(id: string): Promise<RectificationEntity | null> {
    return this.ds.getRepository(RectificationEntity).findOneBy({ id });
  }

  rating(id: string): Promise<RatingEntity | null> {
    return this.ds.getRepository(RatingEntity).findOneBy({ id });
  }

  rectifications(orgs: readonly string[] | undefined, status: string | undefined, limit: number): Promise<RectificationEntity[]> {
    const q = this.ds.getRepository(RectificationEntity).createQueryBuilder('r').orderBy('r.deadline', 'ASC').limit(limit);
    if (orgs) q.andWhere('r.department_code = ANY(:orgs)', { orgs: [...orgs] });
    if (status) q.andWhere('r.status = :status', { status });
    return q.getMany();
  }
}
