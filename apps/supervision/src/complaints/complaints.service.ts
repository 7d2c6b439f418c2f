import { randomBytes, randomUUID } from 'node:crypto';
import { OrgScope, type Principal, actorLabel } from '@gov/auth';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { Clock } from '../clock/clock';
import { SupervisionErrors } from '../errors';
import { COMPLAINT_ACTIONS, COMPLAINT_FLOW, type ComplaintAction, newTrackingCode } from './complaint-flow';
import { ComplaintEntity, type ComplaintStage, type ComplaintStageEntity } from './complaint.entity';
import { ComplaintsRepository } from './complaints.repository';
import type { FileComplaintDto } from './dtos/complaint.dto';

export interface FiledComplaint {
  id: string;
  trackingCode: string;
  stage: ComplaintStage;
  stageDeadline: string | null;
  filedAt: string;
}

/** What the complainant sees when following a complaint by its code: its progress, never the office's notes. */
export interface ComplaintProgress {
  trackingCode: string;
  subjectKind: string;
  stage: ComplaintStage;
  stageDeadline: string | null;
  filedAt: string;
  history: Array<{ stage: ComplaintStage; at: string }>;
  /** The office's reply, once given. */
  reply: string | null;
}

export interface ComplaintDetail extends ComplaintProgress {
  id: string;
  caseNumber: string | null;
  officerId: string | null;
  departmentCode: string | null;
  content: string;
  complainantKind: string;
  contact: string | null;
  assignee: string | null;
  conclusion: string | null;
  substantiated: boolean | null;
  version: number;
  stages: Array<{ stage: ComplaintStage; at: string; deadline: string | null; actor: string | null; note: string | null }>;
  /** Stages left past their deadline, each escalated once (`ComplaintEscalations`). */
  escalations: Array<{ stage: ComplaintStage; deadline: string; escalatedAt: string }>;
}

const SOURCE = '/supervision/complaints';

/** Complaints (投诉举报): filing, the office's flow with a deadline per stage, and progress by tracking code. */
@Injectable()
export class ComplaintsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ComplaintsRepository,
    private readonly calendar: CalendarProvider,
    private readonly clock: Clock,
  ) {}

  async file(dto: FileComplaintDto, filer: { principal?: Principal; client: string }, idempotencyKey: string): Promise<{ result: FiledComplaint; replayed: boolean }> {
    checkSubject(dto, filer.principal);
    const scope = filer.principal ? `complaints:${filer.principal.subject}` : `complaints:anonymous:${filer.client}`;
    return runIdempotent(this.ds, scope, idempotencyKey, dto, async (m) => {
      const now = this.clock.now();
      const deadline = await this.deadlineFor('registered', now);
      const c = Object.assign(new ComplaintEntity(), {
        id: randomUUID(),
        trackingCode: newTrackingCode(randomBytes),
        subjectKind: dto.subjectKind,
        caseNumber: dto.caseNumber ?? null,
        officerId: dto.officerId ?? null,
        departmentCode: dto.departmentCode ?? null,
        content: dto.content,
        complainantKind: filer.principal ? ('applicant' as const) : ('anonymous' as const),
        applicantSubject: filer.principal?.subject ?? null,
        contact: dto.contact ?? null,
        stage: 'registered' as const,
        stageDeadline: deadline,
        assignee: null,
        conclusion: null,
        substantiated: null,
        reply: null,
        filedAt: now,
        version: 1,
      });
      await this.repo.insert(m, c);
      await this.repo.addStage(m, { complaintId: c.id, stage: 'registered', at: now, deadline, actor: null, note: null });
      await enqueueEvent(
        m,
        makeEvent({
          type: 'gov.supervision.complaint.filed',
          source: SOURCE,
          subject: c.caseNumber ?? c.id,
          data: { complaintId: c.id, subjectKind: c.subjectKind, caseNumber: c.caseNumber, officerId: c.officerId, departmentCode: c.departmentCode, filedAt: now.toISOString() },
        }),
      );
      return { id: c.id, trackingCode: c.trackingCode, stage: c.stage, stageDeadline: deadline?.toISOString() ?? null, filedAt: now.toISOString() };
    });
  }

  /** One step of the flow, by an officer of the supervision office. */
  async act(id: string, action: ComplaintAction, principal: Principal, input: { assignee?: string; note?: string; conclusion?: string; substantiated?: boolean }): Promise<ComplaintDetail> {
    const { from, to } = COMPLAINT_ACTIONS[action];
    await this.ds.transaction(async (m) => {
      const c = await this.repo.lockById(m, id);
      if (!c) throw SupervisionErrors.error('ComplaintNotFound', `No complaint ${id}.`, { field: 'id' });
      this.assertVisible(c, principal);
      if (c.stage !== from) {
        throw SupervisionErrors.error('ComplaintStageConflict', `The complaint is ${c.stage}; ${action} follows ${from}.`, { stage: c.stage, expected: from });
      }
      const now = this.clock.now();
      const deadline = await this.deadlineFor(to, now);
      const changes: Partial<ComplaintEntity> = { stage: to, stageDeadline: deadline };
      if (input.assignee !== undefined) changes.assignee = input.assignee;
      if (input.conclusion !== undefined) changes.conclusion = input.conclusion;
      if (input.substantiated !== undefined) changes.substantiated = input.substantiated;
      if (action === 'reply') changes.reply = input.note ?? null;
      if (!(await this.repo.advance(m, c, from, changes))) {
        throw SupervisionErrors.error('ComplaintStageConflict', 'The complaint was moved on by someone else meanwhile; reload it.', { stage: c.stage });
      }
      const note = input.note ?? input.conclusion ?? (input.assignee ? `assigned to ${input.assignee}` : null);
      await this.repo.addStage(m, { complaintId: c.id, stage: to, at: now, deadline, actor: actorLabel(principal), note });
      await enqueueEvent(
        m,
        makeEvent({
          type: 'gov.supervision.complaint.advanced',
          source: SOURCE,
          subject: c.caseNumber ?? c.id,
          data: { complaintId: c.id, stage: to, departmentCode: c.departmentCode, caseNumber: c.caseNumber, at: now.toISOString(), deadline: deadline?.toISOString() ?? null, substantiated: input.substantiated ?? null },
        }),
      );
    });
    return this.detail(id, principal);
  }

  async detail(id: string, principal: Principal): Promise<ComplaintDetail> {
    const c = await this.repo.byId(id);
    if (!c) throw SupervisionErrors.error('ComplaintNotFound', `No complaint ${id}.`, { field: 'id' });
    this.assertVisible(c, principal);
    const [stages, escalations] = await Promise.all([this.repo.stages(c.id), this.repo.escalations(c.id)]);
    return {
      ...progressOf(c, stages),
      id: c.id,
      caseNumber: c.caseNumber,
      officerId: c.officerId,
      departmentCode: c.departmentCode,
      content: c.content,
      complainantKind: c.complainantKind,
      contact: c.contact,
      assignee: c.assignee,
      conclusion: c.conclusion,
      substantiated: c.substantiated,
      version: c.version,
      stages: stages.map((s) => ({ stage: s.stage, at: s.at.toISOString(), deadline: s.deadline?.toISOString() ?? null, actor: s.actor, note: s.note })),
      escalations: escalations.map((e) => ({ stage: e.stage, deadline: e.deadline.toISOString(), escalatedAt: e.escalatedAt.toISOString() })),
    };
  }

  async track(code: string): Promise<ComplaintProgress> {
    const c = await this.repo.byTrackingCode(code);
    if (!c) throw SupervisionErrors.error('TrackingCodeUnknown', 'No complaint has this tracking code; check it against the receipt (TS-XXXX-XXXX-XXXX).', { field: 'code' });
    return progressOf(c, await this.repo.stages(c.id));
  }

  async list(principal: Principal, stage: ComplaintStage | undefined, limit: number): Promise<ComplaintDetail[]> {
    const rows = await this.repo.list(OrgScope.visibleOrgs(principal), stage, limit);
    return Promise.all(rows.map((c) => this.detail(c.id, principal)));
  }

  private assertVisible(c: ComplaintEntity, principal: Principal): void {
    if (c.departmentCode) OrgScope.assertCanActOn(principal, { orgCode: c.departmentCode });
  }

  /** The deadline for leaving `stage`, in working days from `now` (none once replied). */
  private async deadlineFor(stage: ComplaintStage, now: Date): Promise<Date | null> {
    const days = COMPLAINT_FLOW[stage].workingDays;
    return days === null ? null : (await this.calendar.get()).deadline(now, days);
  }
}

function checkSubject(dto: FileComplaintDto, principal: Principal | undefined): void {
  const missing = (field: string, why: string) => SupervisionErrors.error('ComplaintSubjectInvalid', `${field} is required ${why}.`, { field });
  switch (dto.subjectKind) {
    case 'case':
      if (!dto.caseNumber) throw missing('caseNumber', 'for a complaint about a case');
      break;
    case 'officer':
      if (!dto.officerId) throw missing('officerId', 'for a complaint about an officer');
      if (!dto.departmentCode) throw missing('departmentCode', "for a complaint about an officer (the officer's department)");
      break;
    case 'department':
      if (!dto.departmentCode) throw missing('departmentCode', 'for a complaint about a department');
      break;
  }
  if (!principal && !dto.contact) throw missing('contact', 'when filing without signing in, so the office can reply (a phone number or e-mail)');
}

function progressOf(c: ComplaintEntity, stages: ComplaintStageEntity[]): ComplaintProgress {
  return {
    trackingCode: c.trackingCode,
    subjectKind: c.subjectKind,
    stage: c.stage,
    stageDeadline: c.stageDeadline?.toISOString() ?? null,
    filedAt: c.filedAt.toISOString(),
    history: stages.map((s) => ({ stage: s.stage, at: s.at.toISOString() })),
    reply: c.reply,
  };
}
