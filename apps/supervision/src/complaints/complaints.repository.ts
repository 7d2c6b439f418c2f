import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ComplaintEntity, type ComplaintStage, ComplaintStageEntity } from './complaint.entity';

/** Complaints SQL. */
@Injectable()
export class ComplaintsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(m: EntityManager, c: ComplaintEntity): Promise<void> {
    await m.getRepository(ComplaintEntity).insert(c);
  }

  async addStage(m: EntityManager, s: Omit<ComplaintStageEntity, 'id'>): Promise<void> {
    await m.getRepository(ComplaintStageEntity).insert(s);
  }

  /** The complaint, locked for the transition in `m`. */
  lockById(m: EntityManager, id: string): Promise<ComplaintEntity | null> {
    return m.getRepository(ComplaintEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  /** Moves the complaint on, only from the stage and version it was read at (optimistic: a concurrent move loses). */
  async advance(m: EntityManager, c: ComplaintEntity, from: ComplaintStage, changes: Partial<ComplaintEntity>): Promise<boolean> {
    const result = await m
      .getRepository(ComplaintEntity)
      .createQueryBuilder()
      .update()
      .set({ ...changes, version: c.version + 1 })
      .where('id = :id AND stage = :from AND version = :version', { id: c.id, from, version: c.version })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** Complaints whose current stage passed its deadline without an escalation for that stage (the stage-deadline index). */
  async overdue(now: Date, limit: number): Promise<Array<{ id: string; stage: ComplaintStage }>> {
    return this.ds.query(
      `SELECT c.id, c.stage FROM complaints c
        WHERE c.stage_deadline IS NOT NULL AND c.stage_deadline < $1 AND c.stage <> 'replied'
          AND NOT EXISTS (SELECT 1 FROM complaint_escalations e WHERE e.complaint_id = c.id AND e.stage = c.stage)
        ORDER BY c.stage_deadline LIMIT $2`,
      [now, limit],
    );
  }

  /** Records the escalation of a complaint's stage; false when it was escalated before. */
  async escalate(m: EntityManager, e: { id: string; complaintId: string; stage: ComplaintStage; deadline: Date; escalatedAt: Date }): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO complaint_escalations (id, complaint_id, stage, deadline, escalated_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (complaint_id, stage) DO NOTHING RETURNING id`,
      [e.id, e.complaintId, e.stage, e.deadline, e.escalatedAt],
    );
    return rows.length > 0;
  }

  escalations(complaintId: string): Promise<Array<{ stage: ComplaintStage; deadline: Date; escalatedAt: Date }>> {
    return this.ds.query(`SELECT stage, deadline, escalated_at AS "escalatedAt" FROM complaint_escalations WHERE complaint_id = $1 ORDER BY escalated_at`, [complaintId]);
  }

  byId(id: string): Promise<ComplaintEntity | null> {
    return this.ds.getRepository(ComplaintEntity).findOneBy({ id });
  }

  byTrackingCode(code: string): Promise<ComplaintEntity | null> {
    return this.ds.getRepository(ComplaintEntity).findOneBy({ trackingCode: code });
  }

  stages(complaintId: string): Promise<ComplaintStageEntity[]> {
    return this.ds.getRepository(ComplaintStageEntity).find({ where: { complaintId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Newest first, within the departments the caller sees (complaints naming no department are the office's own). */
  list(orgs: readonly string[] | undefined, stage: ComplaintStage | undefined, limit: number): Promise<ComplaintEntity[]> {
    const q = this.ds.getRepository(ComplaintEntity).createQueryBuilder('c').orderBy('c.filed_at', 'DESC').limit(limit);
    if (orgs) q.andWhere('(c.department_code IS NULL OR c.department_code = ANY(:orgs))', { orgs: [...orgs] });
    if (stage) q.andWhere('c.stage = :stage', { stage });
    return q.getMany();
  }
}
