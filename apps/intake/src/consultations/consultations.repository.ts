import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { Application } from '../applications/application.entity';
import { Consultation } from './consultation.entity';
import type { QueueState } from './dtos';

export interface Page {
  limit: number;
  offset: number;
}

/** Every query of consultations (and the one look-up of an asker's own application). */
@Injectable()
export class ConsultationsRepository {
  constructor(private readonly ds: DataSource) {}

  insert(manager: EntityManager, row: Consultation): Promise<Consultation> {
    return manager.getRepository(Consultation).save(row);
  }

  find(id: string): Promise<Consultation | null> {
    return this.ds.getRepository(Consultation).findOne({ where: { id } });
  }

  lock(manager: EntityManager, id: string): Promise<Consultation | null> {
    return manager.getRepository(Consultation).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(manager: EntityManager, id: string, patch: Partial<Consultation>): Promise<void> {
    await manager.getRepository(Consultation).update({ id }, patch);
  }

  /** The application with this case number, for checking that an asker names one of their own. */
  application(caseNumber: string): Promise<Pick<Application, 'caseNumber' | 'applicantId' | 'matterCode'> | null> {
    return this.ds.getRepository(Application).findOne({ where: { caseNumber }, select: { caseNumber: true, applicantId: true, matterCode: true } });
  }

  /** The asker's own questions, newest first. */
  mine(subject: string, page: Page): Promise<[Consultation[], number]> {
    return this.ds.getRepository(Consultation).findAndCount({ where: { askerSubject: subject }, order: { askedAt: 'DESC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  /** The departments' queue, oldest first (undefined orgs: every department, for services). */
  queue(orgs: readonly string[] | undefined, state: QueueState, now: Date, page: Page): Promise<[Consultation[], number]> {
    const q = this.ds.getRepository(Consultation).createQueryBuilder('c');
    if (orgs !== undefined) q.where('c.department_code = ANY(:orgs)', { orgs: [...orgs] });
    this.state(q, state, now);
    return q.orderBy('c.asked_at', 'ASC').addOrderBy('c.id', 'ASC').take(page.limit).skip(page.offset).getManyAndCount();
  }

  private state(q: SelectQueryBuilder<Consultation>, state: QueueState, now: Date): void {
    switch (state) {
      case 'unanswered':
        q.andWhere('c.answered_at IS NULL');
        return;
      case 'overdue':
        q.andWhere('c.answered_at IS NULL').andWhere('c.due_at < :now', { now });
        return;
      case 'answered':
        q.andWhere('c.answered_at IS NOT NULL');
        return;
      case 'all':
        return;
    }
  }

  /** A matter's public FAQ: answered questions its department made public, newest answers first. */
  faq(matterCode: string, page: Page): Promise<[Consultation[], number]> {
    return this.ds
      .getRepository(Consultation)
      .createQueryBuilder('c')
      .where('c.matter_code = :matterCode', { matterCode })
      .andWhere('c.public AND c.answered_at IS NOT NULL')
      .orderBy('c.answered_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
  }

  /** Unanswered questions past due that have not been reported overdue, locked; another replica skips them. */
  lockOverdue(manager: EntityManager, now: Date, limit: number): Promise<Consultation[]> {
    return manager
      .getRepository(Consultation)
      .createQueryBuilder('c')
      .where('c.answered_at IS NULL')
      .andWhere('c.overdue_at IS NULL')
      .andWhere('c.due_at < :now', { now })
      .orderBy('c.due_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }
}
