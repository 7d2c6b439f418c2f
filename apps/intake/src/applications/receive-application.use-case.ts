import { randomUUID } from 'node:crypto';
import { WorkingCalendar } from '@gov/calendar';
import { OrgScope, type Principal, Role } from '@gov/auth';
import { ApplicantKind, isValidApplicantId, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { RequestContext, runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AcceptanceNotices, ONLINE_RECEIPT_OFFICER } from '../acceptance/acceptance-notices';
import { BureauRules } from '../acceptance/bureau-rules';
import { CaseNumbersRepository } from '../case-numbers/case-numbers.repository';
import { Clock } from '../clock/clock';
import { IntakeErrors } from '../errors';
import { type Channel, type MaterialEntry, Application } from './application.entity';
import { ApplicationsRepository } from './applications.repository';
import { assertFormMatches } from './form-schema';
import type { ApplicationReceivedDto, SubmitApplicationDto } from './dtos/submit-application.dto';
import { type AcceptanceMatter, MatterLookup } from './matter-lookup';

/** Who the applicant is: from the token online (no repeating one's own ID), from the body at the window. */
function applicantOf(command: SubmitApplicationDto, principal: Principal): { kind: ApplicantKind; id: string; name: string } {
  if (principal.type === 'applicant') {
    const own = principal.applicantId;
    if (!own) throw IntakeErrors.error('NotOwnApplication', 'Your account has no resident ID or credit code to apply with.', { field: 'applicant.id' });
    if (command.applicant && command.applicant.id !== own) {
      throw IntakeErrors.error('NotOwnApplication', 'applicant.id must be your own resident ID or unified social credit code (or leave applicant out: it is taken from your login).', { field: 'applicant.id' });
    }
    const kind = command.applicant?.kind ?? (isValidApplicantId(ApplicantKind.Person, own) ? ApplicantKind.Person : ApplicantKind.LegalEntity);
    return { kind, id: own, name: command.applicant?.name ?? principal.name };
  }
  if (!command.applicant) {
    const message = 'applicant is required when a window clerk registers an application: { kind, id, name } of the applicant whose identity document was checked.';
    throw IntakeErrors.error('ValidationFailed', message, { field: 'applicant', fields: [{ field: 'applicant', rule: 'isDefined', message }] });
  }
  return command.applicant;
}

/** The receipt's materials: slot keys of the matter, each named once. */
export function receivedMaterials(matter: AcceptanceMatter, keys: readonly string[] | undefined, field = 'materials'): MaterialEntry[] {
  const out: MaterialEntry[] = [];
  for (const key of keys ?? []) {
    const slot = matter.materials.find((m) => m.key === key);
    if (!slot) {
      const message = `${field} names ${key}, which is not a material of ${matter.code}${matter.materials.length ? ` (its materials: ${matter.materials.map((m) => m.key).join(', ')})` : ' (it lists no materials)'}.`;
      throw IntakeErrors.error('ValidationFailed', message, { field, fields: [{ field, rule: 'isMaterialOfMatter', message }] });
    }
    if (!out.some((m) => m.key === key)) out.push({ key, name: slot.name });
  }
  return out;
}

/**
 * Receives (接件) an application, online by the applicant or at the window by a clerk on the applicant's behalf:
 * allocates the case number, stores it as `received` with the receipt's data (接件凭证), and writes
 * `gov.intake.application.received` in the same transaction. The window then decides on acceptance within the
 * bureau's window (5 working days), or it is deemed accepted from the day of receipt (seed 001 text 10).
 */
@Injectable()
export class ReceiveApplicationUseCase {
  constructor(
    private readonly ds: DataSource,
    private readonly matters: MatterLookup,
    private readonly applications: ApplicationsRepository,
    private readonly caseNumbers: CaseNumbersRepository,
    private readonly rules: BureauRules,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly notices: AcceptanceNotices,
  ) {}

  async execute(command: SubmitApplicationDto, idempotencyKey: string, principal: Principal): Promise<{ result: ApplicationReceivedDto; replayed: boolean }> {
    // The identifier sent is checked first (format and check digit), whoever sends it.
    const sent = command.applicant;
    if (sent && !isValidApplicantId(sent.kind, sent.id)) {
      switch (sent.kind) {
        case ApplicantKind.Person:
          throw IntakeErrors.error('InvalidResidentId', 'applicant.id is not a valid 18-digit resident ID: its birth date or check digit does not match (GB 11643).', { field: 'applicant.id' });
        case ApplicantKind.LegalEntity:
          throw IntakeErrors.error('InvalidCreditCode', 'applicant.id is not a valid unified social credit code: its check character does not match (GB 32100).', { field: 'applicant.id' });
      }
    }
    const applicant = applicantOf(command, principal);
    const matter = await this.matters.inForce(command.matterCode);
    if (!matter) throw IntakeErrors.error('UnknownMatter', `Matter ${command.matterCode} is not in the catalogue or no longer accepted; see GET /matters.`, { field: 'matterCode' });
    let channel: Channel;
    if (principal.type === 'applicant') {
      if (matter.onlineRefusal) throw IntakeErrors.error('NotOfferedOnline', matter.onlineRefusal, { field: 'matterCode' });
      channel = 'online';
    } else {
      // A window clerk registers at the window for the departments they serve.
      if (!principal.roles.includes(Role.WindowClerk)) throw IntakeErrors.error('InsufficientRole', 'Only a window clerk registers applications on an applicant\'s behalf.');
      OrgScope.assertCanActOn(principal, { orgCode: matter.departmentCode });
      channel = 'window';
    }
    const materials = receivedMaterials(matter, command.materials);
    // Keys are per caller: two applicants can never collide on a key.
    let noticeId: string | undefined;
    const done = await runIdempotent(this.ds, `applications:${principal.subject}`, idempotencyKey, command, async (manager) => {
      // Inside, so that a reused key with another body is still 409 whatever the body holds.
      assertFormMatches(matter.code, matter.version, matter.formSchema, command.form);
      const receivedAt = this.clock.now();
      const acceptanceDueAt = this.calendar.deadline(receivedAt, this.rules.of(matter.tenantId).acceptanceWindowDays);
      const caseNumber = await this.caseNumbers.next(manager, matter.tenantId, receivedAt);
      RequestContext.setCase(caseNumber);
      const registeredBy = channel === 'window' ? principal.subject : null;
      const application = Object.assign(new Application(), {
        id: randomUUID(),
        caseNumber,
        matterCode: matter.code,
        matterVersion: matter.version,
        tenantId: matter.tenantId,
        departmentCode: matter.departmentCode,
        applicantKind: applicant.kind,
        applicantId: applicant.id,
        applicantName: applicant.name,
        form: command.form,
        status: 'received',
        channel,
        registeredBy,
        receivedAt,
        acceptanceDueAt,
        acceptedAt: null,
        acceptanceMode: null,
        acceptedBy: null,
        timeLimitWorkingDays: matter.promisedWorkingDays,
        promisedDeadline: null,
        correctionDeadline: null,
        materials,
        deferredMaterials: [],
        deferredDeadline: null,
        materialsFrozenAt: null,
        withdrawalRequestedAt: null,
        withdrawalReason: null,
        closedAt: null,
        bundleId: null,
      } satisfies Omit<Application, 'version' | 'matter' | 'bundle'>);
      await this.applications.insert(manager, application);
      const data = {
        caseNumber,
        applicationId: application.id,
        matterCode: matter.code,
        matterName: matter.name,
        matterVersion: matter.version,
        departmentCode: matter.departmentCode,
        tenantId: matter.tenantId,
        applicant,
        channel,
        registeredBy,
        receivedAt: receivedAt.toISOString(),
        acceptanceDueAt: acceptanceDueAt.toISOString(),
        materials,
      };
      // 接件凭证 at once (seed 001 text 10): recorded with the application, sealed after the commit.
      noticeId = await this.notices.record(manager, 'receipt', {
        ...this.notices.base(application, matter),
        receivedAt: receivedAt.toISOString(),
        officer: channel === 'window' ? (principal.name.trim() || principal.subject).slice(0, 100) : ONLINE_RECEIPT_OFFICER,
        materials: await this.notices.materialsOf(application, matter, { declared: materials, deferred: [] }),
        decisionDueDate: this.notices.date(acceptanceDueAt),
      });
      await this.applications.record(manager, application.id, { action: 'received', notice: 'receipt', actor: registeredBy ?? principal.subject, at: receivedAt, data: { ...data, noticeId } });
      await enqueueEvent(
        manager,
        makeEvent({ type: 'gov.intake.application.received', source: '/intake', subject: caseNumber, tenantId: matter.tenantId, traceId: RequestContext.current()?.traceId, correlationId: application.id, data }),
      );
      return {
        applicationId: application.id,
        caseNumber,
        status: application.status,
        channel,
        receivedAt: receivedAt.toISOString(),
        acceptanceDueAt: acceptanceDueAt.toISOString(),
        acceptedAt: null,
        matterCode: matter.code,
        matterVersion: matter.version,
        timeLimitWorkingDays: matter.promisedWorkingDays,
        receipt: { materials, noticeId },
      };
    });
    if (!done.replayed && noticeId) this.notices.completeSoon([noticeId]);
    return done;
  }
}
