import { OrgScope, type Principal, actorLabel } from '@gov/auth';
import { WorkingCalendar } from '@gov/calendar';
import { type EventData, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { RequestContext, runIdempotent } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { IntakeErrors } from '../errors';
import { MatterCatalogue } from '../matters/catalogue/matter-catalogue';
import { Consultation } from './consultation.entity';
import { ConsultationsRepository, type Page } from './consultations.repository';
import type { AnonymousAskDto, AnswerDto, AskDto, AskedDto, ConsultationDto, ConsultationPageDto, FaqPageDto, QueueItemDto, QueuePageDto, QueueState } from './dtos';

type ConsultationEvent = 'gov.intake.consultation.asked' | 'gov.intake.consultation.answered' | 'gov.intake.consultation.overdue';

const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

function page(q: { limit?: number; offset?: number }): Page {
  return { limit: q.limit ?? 20, offset: q.offset ?? 0 };
}

/**
 * Consultations (咨询, issue 8 §5): a question about a public matter, answered by the matter's department within the
 * bureau's working days; the sweeper reports those that pass their due time unanswered.
 */
@Injectable()
export class ConsultationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ConsultationsRepository,
    private readonly catalogue: MatterCatalogue,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  /** Working days the bureau (tenant) gives its departments to answer. */
  answerDays(tenantId: string): number {
    return this.config.CONSULTATION_BUREAU_DAYS[tenantId] ?? this.config.CONSULTATION_ANSWER_WORKING_DAYS;
  }

  /** The matter in force, if the public may see it (secret matters are not in the guide and take no questions). */
  private async publicMatter(code: string, field: string) {
    const v = await this.catalogue.published(code);
    if (!v || v.elements.secret) throw IntakeErrors.error('MatterNotFound', `${field}: no public matter ${code} is in force`, { field, code });
    return { code: v.code, name: v.elements.name, tenantId: v.tenantId, departmentCode: v.elements.departmentCode };
  }

  async ask(body: AskDto, key: string, principal: Principal): Promise<{ result: AskedDto; replayed: boolean }> {
    const matter = await this.publicMatter(body.matterCode, 'matterCode');
    const caseNumber = body.caseNumber ?? null;
    if (caseNumber !== null) {
      const app = await this.repo.application(caseNumber);
      const own = app !== null && (app.applicantId === principal.subject || (principal.applicantId !== undefined && app.applicantId === principal.applicantId));
      // Another's application is not revealed to exist.
      if (!own) throw IntakeErrors.error('ApplicationNotFound', `caseNumber: you have no application ${caseNumber}`, { field: 'caseNumber', caseNumber });
      if (app.matterCode !== matter.code) throw IntakeErrors.error('ValidationFailed', `caseNumber: application ${caseNumber} is under matter ${app.matterCode}, not ${matter.code}`, { field: 'caseNumber' });
    }
    return runIdempotent(this.ds, `consultations:${principal.subject}:ask`, key, body, async (manager) => {
      const row = this.newRow(matter, body.question, { askerKind: 'applicant', askerSubject: principal.subject, contactName: principal.name, contact: null, accessCodeHash: null, caseNumber });
      await this.repo.insert(manager, row);
      await this.emitAsked(manager, row);
      return this.view(row);
    });
  }

  async askAnonymously(code: string, body: AnonymousAskDto, key: string, client: string): Promise<{ result: AskedDto; replayed: boolean }> {
    const matter = await this.publicMatter(code, 'param.code');
    return runIdempotent(this.ds, `consultations:anonymous:${client}:${code}`, key, body, async (manager) => {
      const accessCode = randomBytes(18).toString('base64url');
      const row = this.newRow(matter, body.question, { askerKind: 'anonymous', askerSubject: null, contactName: body.contact.name, contact: body.contact.reach, accessCodeHash: hashCode(accessCode), caseNumber: null });
      await this.repo.insert(manager, row);
      await this.emitAsked(manager, row);
      return { ...this.view(row), accessCode };
    });
  }

  private newRow(matter: { code: string; name: string; tenantId: string; departmentCode: string }, question: string, asker: Pick<Consultation, 'askerKind' | 'askerSubject' | 'contactName' | 'contact' | 'accessCodeHash' | 'caseNumber'>): Consultation {
    const now = this.clock.now();
    return Object.assign(new Consultation(), {
      id: randomUUID(),
      matterCode: matter.code,
      matterName: matter.name,
      departmentCode: matter.departmentCode,
      tenantId: matter.tenantId,
      ...asker,
      question: question.trim(),
      askedAt: now,
      dueAt: this.calendar.deadline(now, this.answerDays(matter.tenantId)),
      answer: null,
      answeredAt: null,
      answeredBy: null,
      answeredByName: null,
      public: false,
      overdueAt: null,
    });
  }

  async answer(id: string, body: AnswerDto, key: string, principal: Principal): Promise<{ result: QueueItemDto; replayed: boolean }> {
    const found = await this.repo.find(id);
    if (!found) throw IntakeErrors.error('ConsultationNotFound', `No consultation ${id}`, { id });
    OrgScope.assertCanActOn(principal, { orgCode: found.departmentCode });
    return runIdempotent(this.ds, `consultations:${principal.subject}:answer:${id}`, key, body, async (manager) => {
      const row = await this.repo.lock(manager, id);
      if (!row) throw IntakeErrors.error('ConsultationNotFound', `No consultation ${id}`, { id });
      if (row.answeredAt) throw IntakeErrors.error('ConsultationAlreadyAnswered', `Consultation ${id} was answered at ${row.answeredAt.toISOString()} by ${row.answeredByName ?? 'an officer'}`, { id, answeredAt: row.answeredAt.toISOString() });
      const now = this.clock.now();
      const patch = { answer: body.answer.trim(), answeredAt: now, answeredBy: principal.subject, answeredByName: actorLabel(principal), public: body.public ?? false };
      await this.repo.update(manager, id, patch);
      const answered = Object.assign(row, patch);
      await this.emit(manager, answered, 'gov.intake.consultation.answered', { ...this.refData(answered), answeredAt: now.toISOString(), answeredBy: principal.subject, late: now.getTime() > answered.dueAt.getTime(), public: answered.public });
      return this.queueView(answered);
    });
  }

  /** The department shows or hides an answered question in the matter's public FAQ. */
  async publish(id: string, isPublic: boolean, principal: Principal): Promise<QueueItemDto> {
    return this.ds.transaction(async (manager) => {
      const row = await this.repo.lock(manager, id);
      if (!row) throw IntakeErrors.error('ConsultationNotFound', `No consultation ${id}`, { id });
      OrgScope.assertCanActOn(principal, { orgCode: row.departmentCode });
      if (!row.answeredAt) throw IntakeErrors.error('ConsultationNotAnswered', `Consultation ${id} has no answer yet: only answered questions go into the FAQ`, { id });
      await this.repo.update(manager, id, { public: isPublic });
      return this.queueView(Object.assign(row, { public: isPublic }));
    });
  }

  async mine(principal: Principal, q: { limit?: number; offset?: number }): Promise<ConsultationPageDto> {
    const [rows, total] = await this.repo.mine(principal.subject, page(q));
    return { items: rows.map((r) => this.view(r)), total };
  }

  async queue(principal: Principal, q: { state?: QueueState; limit?: number; offset?: number }): Promise<QueuePageDto> {
    const [rows, total] = await this.repo.queue(OrgScope.visibleOrgs(principal), q.state ?? 'unanswered', this.clock.now(), page(q));
    return { items: rows.map((r) => this.queueView(r)), total };
  }

  /** One consultation: the asker sees their own (another's is not found), officers their departments' (403 otherwise). */
  async one(id: string, principal: Principal): Promise<ConsultationDto | QueueItemDto> {
    const row = await this.repo.find(id);
    const notFound = () => IntakeErrors.error('ConsultationNotFound', `No consultation ${id}`, { id });
    if (!row) throw notFound();
    if (principal.type === 'applicant') {
      if (row.askerSubject !== principal.subject) throw notFound();
      return this.view(row);
    }
    OrgScope.assertCanActOn(principal, { orgCode: row.departmentCode });
    return this.queueView(row);
  }

  /** An anonymous asker's own question, by the access code they were given; a wrong code is indistinguishable from no question. */
  async anonymous(id: string, accessCode: string | undefined): Promise<ConsultationDto> {
    const row = await this.repo.find(id);
    const stored = row?.accessCodeHash ?? null;
    const ok = stored !== null && accessCode !== undefined && accessCode.length > 0 && timingSafeEqual(Buffer.from(hashCode(accessCode), 'utf8'), Buffer.from(stored, 'utf8'));
    if (!row || !ok) throw IntakeErrors.error('ConsultationNotFound', `No consultation ${id} with this access code (header Consultation-Access-Code)`, { id, field: 'header.consultation-access-code' });
    return this.view(row);
  }

  async faq(code: string, q: { limit?: number; offset?: number }): Promise<FaqPageDto> {
    const matter = await this.publicMatter(code, 'param.code');
    const [rows, total] = await this.repo.faq(matter.code, page(q));
    return { matterCode: matter.code, items: rows.map((r) => ({ id: r.id, question: r.question, answer: r.answer ?? '', answeredAt: (r.answeredAt ?? r.askedAt).toISOString() })), total };
  }

  /** Marks one overdue consultation (locked by the sweeper) and announces it, once. */
  async markOverdue(manager: EntityManager, row: Consultation, now: Date): Promise<void> {
    await this.repo.update(manager, row.id, { overdueAt: now });
    await this.emit(manager, row, 'gov.intake.consultation.overdue', { ...this.refData(row), overdueAt: now.toISOString() });
  }

  private emitAsked(manager: EntityManager, row: Consultation): Promise<void> {
    return this.emit(manager, row, 'gov.intake.consultation.asked', { ...this.refData(row), asker: row.askerKind });
  }

  private refData(row: Consultation) {
    return { consultationId: row.id, matterCode: row.matterCode, departmentCode: row.departmentCode, tenantId: row.tenantId, caseNumber: row.caseNumber, askedAt: row.askedAt.toISOString(), dueAt: row.dueAt.toISOString() };
  }

  private async emit<T extends ConsultationEvent>(manager: EntityManager, row: Consultation, type: T, data: EventData<T>): Promise<void> {
    await enqueueEvent(manager, makeEvent({ type, source: '/intake', subject: row.id, tenantId: row.tenantId, traceId: RequestContext.current()?.traceId, correlationId: row.id, data }));
  }

  private state(row: Consultation): 'unanswered' | 'overdue' | 'answered' {
    if (row.answeredAt) return 'answered';
    return this.clock.now().getTime() > row.dueAt.getTime() ? 'overdue' : 'unanswered';
  }

  view(row: Consultation): ConsultationDto {
    return {
      id: row.id,
      matterCode: row.matterCode,
      matterName: row.matterName,
      departmentCode: row.departmentCode,
      caseNumber: row.caseNumber,
      asker: row.askerKind,
      question: row.question,
      askedAt: row.askedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      state: this.state(row),
      answer: row.answer,
      answeredAt: row.answeredAt?.toISOString() ?? null,
      answeredBy: row.answeredByName,
      public: row.public,
    };
  }

  private queueView(row: Consultation): QueueItemDto {
    return { ...this.view(row), contactName: row.contactName, contact: row.contact };
  }
}
