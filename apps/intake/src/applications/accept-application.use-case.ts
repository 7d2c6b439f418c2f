import { randomUUID } from 'node:crypto';
import { OrgScope, type Principal } from '@gov/auth';
import { isValidCreditCode, isValidResidentId, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { AppError, RequestContext, runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
  ) {}

  async execute(command: SubmitApplicationDto, idempotencyKey: string, principal: Principal): Promise<{ result: ApplicationAcceptedDto; replayed: boolean }> {
    const { kind, id } = command.applicant;
    if (kind === 'person' && !isValidResidentId(id)) {
      throw AppError.badRequest('InvalidResidentId', 'applicant.id is not a valid 18-digit resident ID: its check digit does not match (GB 11643).');
    }
    if (kind === 'legal-entity' && !isValidCreditCode(id)) {
      throw AppError.badRequest('InvalidCreditCode', 'applicant.id is not a valid unified social credit code: its check character does not match (GB 32100).');
    }
    const matter = await this.matters.findActive(command.matterCode);
    if (!matter) throw AppError.unprocessable('UnknownMatter', `Matter ${command.matterCode} is not in the catalogue or no longer accepted; see GET /matters.`);
    // Applicants apply for themselves; a window clerk accepts at the window for the departments they serve.
    if (principal.type === 'applicant') {
      if (command.applicant.id !== principal.applicantId) {
        throw AppError.forbidden('NotOwnApplication', 'applicant.id must be your own resident ID or unified social credit code.');
      }
    } else {
      OrgScope.assertCanActOn(principal, { orgCode: matter.departmentCode });
    }
    // Keys are per caller: two applicants can never collide on a key.
    return runIdempotent(this.ds, `applications:${principal.subject}`, idempotencyKey, command, async (manager) => {
      const acceptedAt = new Date();
      const caseNumber = await this.applications.nextCaseNumber(manager, matter.tenantId, acceptedAt);
      RequestContext.setCase(caseNumber);
      const application = Object.assign(new Application(), {
        id: randomUUID(),
        caseNumber,
        matterCode: matter.code,
        tenantId: matter.tenantId,
        departmentCode: matter.departmentCode,
        applicantKind: command.applicant.kind,
        applicantId: command.applicant.id,
        applicantName: command.applicant.name,
        form: command.form,
        status: 'accepted',
        acceptedAt,
      });
      await this.applications.insert(manager, application);
      const ctx = RequestContext.current();
      await enqueueEvent(
        manager,
        makeEvent({
          type: 'gov.intake.application.accepted',
          source: '/intake',
          subject: caseNumber,
          tenantId: matter.tenantId,
          traceId: ctx?.traceId,
          correlationId: application.id,
          data: {
            caseNumber,
            applicationId: application.id,
            matterCode: matter.code,
            matterName: matter.name,
            processKey: matter.processKey,
            departmentCode: matter.departmentCode,
            tenantId: matter.tenantId,
            applicant: command.applicant,
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
