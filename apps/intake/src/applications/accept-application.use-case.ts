import { randomUUID } from 'node:crypto';
import { OrgScope, type Principal } from '@gov/auth';
import { ApplicantKind, isValidApplicantId, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { RequestContext, runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseNumbersRepository } from '../case-numbers/case-numbers.repository';
import { IntakeErrors } from '../errors';
import { MattersRepository } from '../matters/matters.repository';
import { Application } from './application.entity';
import { ApplicationsRepository } from './applications.repository';
import type { ApplicationAcceptedDto, SubmitApplicationDto } from './dtos/submit-application.dto';

/**
 * Accepts (受理) an application: allocates the case number, stores the application and writes the
 * `gov.intake.application.accepted` event in the same transaction; the outbox relay publishes it.
 */
@Injectable()
export class AcceptApplicationUseCase {
  constructor(
    private readonly ds: DataSource,
    private readonly matters: MattersRepository,
    private readonly applications: ApplicationsRepository,
    private readonly caseNumbers: CaseNumbersRepository,
  ) {}

  async execute(command: SubmitApplicationDto, idempotencyKey: string, principal: Principal): Promise<{ result: ApplicationAcceptedDto; replayed: boolean }> {
    const { kind, id } = command.applicant;
    if (!isValidApplicantId(kind, id)) {
      switch (kind) {
        case ApplicantKind.Person:
          throw IntakeErrors.error('InvalidResidentId', 'applicant.id is not a valid 18-digit resident ID: its birth date or check digit does not match (GB 11643).', { field: 'applicant.id' });
        case ApplicantKind.LegalEntity:
          throw IntakeErrors.error('InvalidCreditCode', 'applicant.id is not a valid unified social credit code: its check character does not match (GB 32100).', { field: 'applicant.id' });
      }
    }
    const matter = await this.matters.findActive(command.matterCode);
    if (!matter) throw IntakeErrors.error('UnknownMatter', `Matter ${command.matterCode} is not in the catalogue or no longer accepted; see GET /matters.`, { field: 'matterCode' });
    // Applicants apply for themselves; a window clerk accepts at the window for the departments they serve.
    if (principal.type === 'applicant') {
      if (id !== principal.applicantId) {
        throw IntakeErrors.error('NotOwnApplication', 'applicant.id must be your own resident ID or unified social credit code.', { field: 'applicant.id' });
      }
    } else {
      OrgScope.assertCanActOn(principal, { orgCode: matter.departmentCode });
    }
    // Keys are per caller: two applicants can never collide on a key.
    return runIdempotent(this.ds, `applications:${principal.subject}`, idempotencyKey, command, async (manager) => {
      const acceptedAt = new Date();
      const caseNumber = await this.caseNumbers.next(manager, matter.tenantId, acceptedAt);
      RequestContext.setCase(caseNumber);
      const application = Object.assign(new Application(), {
        id: randomUUID(),
        caseNumber,
        matterCode: matter.code,
        matterVersion: matter.currentVersion ?? 1,
        tenantId: matter.tenantId,
        departmentCode: matter.departmentCode,
        applicantKind: kind,
        applicantId: id,
        applicantName: command.applicant.name,
        form: command.form,
        status: 'accepted',
        acceptedAt,
      });
      await this.applications.insert(manager, application);
      await enqueueEvent(
        manager,
        makeEvent({
          type: 'gov.intake.application.accepted',
          source: '/intake',
          subject: caseNumber,
          tenantId: matter.tenantId,
          traceId: RequestContext.current()?.traceId,
          correlationId: application.id,
          data: {
            caseNumber,
            applicationId: application.id,
            matterCode: matter.code,
            matterName: matter.name,
            processKey: matter.processKey,
            departmentCode: matter.departmentCode,
            tenantId: matter.tenantId,
            applicant: { kind, id, name: command.applicant.name },
            acceptedAt: acceptedAt.toISOString(),
            timeLimitWorkingDays: matter.timeLimitWorkingDays,
            form: command.form,
          },
        }),
      );
      return {
        applicationId: application.id,
        caseNumber,
        status: application.status,
        acceptedAt: acceptedAt.toISOString(),
        matterCode: matter.code,
        timeLimitWorkingDays: matter.timeLimitWorkingDays,
      };
    });
  }
}
