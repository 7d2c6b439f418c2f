import { type PublicityCaseName, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER, Periodic, PeriodicService } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { PublicityEntry } from './publicity.entity';
import { PublicityRepository } from './publicity.repository';

const DAY_MS = 24 * 3600_000;
/** Seed 001 text 3 art. 21: “……5日内公示”. */
export const PUBLICITY_DAYS = 5;

/**
 * A person's resident ID shows its first four and last four characters, a name its surname; a legal entity's name
 * and unified credit code are public registration data and stay as they are.
 */
export function maskApplicant(kind: 'person' | 'legal-entity', id: string, name: string): { name: string; id: string } {
  if (kind === 'legal-entity') return { name, id };
  const chars = [...name];
  const maskedName = chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
  const maskedId = id.length >= 10 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '*'.repeat(id.length);
  return { name: maskedName, id: maskedId };
}

/**
 * When a case is published (seed 001 text 3 art. 21): within 5 days of the licence's issue (一), of the approval (二),
 * of the higher authority's approval (三); a refusal from the day it is made (四). The configured delay
 * (PUBLICITY_DELAY_MINUTES) never takes it past the 5 days.
 */
export function publicitySchedule(publicityCase: PublicityCaseName, countsFrom: Date, delayMinutes: number): { publishAt: Date; dueBy: Date } {
  const dueBy = new Date(countsFrom.getTime() + PUBLICITY_DAYS * DAY_MS);
  if (publicityCase === 'refused') return { publishAt: countsFrom, dueBy };
  return { publishAt: new Date(Math.min(countsFrom.getTime() + delayMinutes * 60_000, dueBy.getTime())), dueBy };
}

export interface PublicityInput {
  caseNumber: string;
  applicationId: string;
  matter: { code: string; name: string };
  departmentCode: string;
  tenantId: string;
  applicant: { kind: 'person' | 'legal-entity'; id: string; name: string };
  decision: 'approved' | 'rejected';
  publicityCase: PublicityCaseName;
  documentNumber: string;
  licence: { number: string; type: string } | null;
  decidedAt: Date;
  countsFrom: Date;
}

/** The public feed of decided cases (公示): recorded with the decision, published on time, announced for supervision. */
@Injectable()
export class PublicityService extends PeriodicService {
  protected readonly periodic: Periodic;

  constructor(
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ds: DataSource,
    private readonly repo: PublicityRepository,
  ) {
    super();
    this.periodic = new Periodic(config.PUBLICITY_INTERVAL_MS, async () => void (await this.publishDue()), (e) => this.logger.warn({ err: e }, 'publicity round failed'));
  }


  /** In the decision's transaction: the case's entry, published at once when it is due now. */
  async record(manager: EntityManager, input: PublicityInput, now: Date): Promise<void> {
    const { publishAt, dueBy } = publicitySchedule(input.publicityCase, input.countsFrom, this.config.PUBLICITY_DELAY_MINUTES);
    const masked = maskApplicant(input.applicant.kind, input.applicant.id, input.applicant.name);
    const entry = Object.assign(new PublicityEntry(), {
      caseNumber: input.caseNumber,
      applicationId: input.applicationId,
      matterCode: input.matter.code,
      matterName: input.matter.name,
      departmentCode: input.departmentCode,
      tenantId: input.tenantId,
      applicantName: masked.name,
      applicantIdMasked: masked.id,
      decision: input.decision,
      publicityCase: input.publicityCase,
      documentNumber: input.documentNumber,
      licenceNumber: input.licence?.number ?? null,
      licenceType: input.licence?.type ?? null,
      decidedAt: input.decidedAt,
      countsFrom: input.countsFrom,
      dueBy,
      publishAt,
      publishedAt: null,
    });
    if (!(await this.repo.insertIfAbsent(manager, entry))) return;
    if (publishAt.getTime() <= now.getTime()) await this.publish(manager, now, 1, input.caseNumber);
  }

  /** Publishes every entry that came due (the periodic round); resolves to how many. */
  async publishDue(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.ds.transaction((m) => this.publish(m, now, 50));
      total += n;
      if (n < 50) return total;
    }
  }

  private async publish(manager: EntityManager, now: Date, limit: number, caseNumber?: string): Promise<number> {
    const published = await this.repo.publishDue(manager, now, limit, caseNumber);
    for (const e of published) {
      await enqueueEvent(
        manager,
        makeEvent({
          type: 'gov.intake.publicity.published',
          source: '/intake',
          subject: e.caseNumber,
          correlationId: e.applicationId,
          data: {
            caseNumber: e.caseNumber,
            matterCode: e.matterCode,
            departmentCode: e.departmentCode,
            publicityCase: e.publicityCase,
            decision: e.decision,
            documentNumber: e.documentNumber,
            decidedAt: e.decidedAt.toISOString(),
            countsFrom: e.countsFrom.toISOString(),
            dueBy: e.dueBy.toISOString(),
            publishedAt: now.toISOString(),
          },
        }),
      );
    }
    return published.length;
  }
}
