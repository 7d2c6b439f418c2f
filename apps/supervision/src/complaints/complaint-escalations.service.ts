import { randomUUID } from 'node:crypto';
import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { AlertStreamRepository } from '../stream/alert-stream.repository';
import { COMPLAINT_FLOW } from './complaint-flow';
import { ComplaintsRepository } from './complaints.repository';

/**
 * Complaint stage deadlines (seed 004 art. 12: the office must handle complaints; `complaint-flow.ts` the days): a
 * stage left past its deadline is escalated once — an escalation record (append-only, unique per complaint and
 * stage) and an `escalation` alert to the office and the department, in one transaction.
 */
@Injectable()
export class ComplaintEscalations {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ComplaintsRepository,
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** One pass; returns how many stages were escalated. */
  async scan(limit = 500): Promise<number> {
    const now = this.clock.now();
    let escalated = 0;
    for (const due of await this.repo.overdue(now, limit)) {
      const done = await this.ds.transaction(async (m) => {
        const c = await this.repo.lockById(m, due.id);
        // moved on (or its deadline moved) since it was read
        if (!c || c.stage !== due.stage || !c.stageDeadline || c.stageDeadline >= now) return false;
        const id = randomUUID();
        if (!(await this.repo.escalate(m, { id, complaintId: c.id, stage: c.stage, deadline: c.stageDeadline, escalatedAt: now }))) return false;
        await this.stream.append(m, {
          kind: 'escalation',
          level: 'complaint-overdue',
          rule: 'complaint.stage-overdue',
          dedupeKey: `complaint-escalation:${c.id}:${c.stage}`,
          caseNumber: c.caseNumber,
          officer: c.officerId,
          orgCode: c.departmentCode,
          evidence: {
            escalationId: id,
            complaintId: c.id,
            trackingCode: c.trackingCode,
            stage: c.stage,
            awaiting: COMPLAINT_FLOW[c.stage].next,
            workingDays: COMPLAINT_FLOW[c.stage].workingDays,
            deadline: c.stageDeadline.toISOString(),
            assignee: c.assignee,
            seed: '004 art. 12',
          },
          raisedAt: now,
        });
        return true;
      });
      if (done) {
        escalated++;
        this.logger.warn({ complaintId: due.id, stage: due.stage }, 'complaint stage overdue: escalated');
      }
    }
    return escalated;
  }
}
