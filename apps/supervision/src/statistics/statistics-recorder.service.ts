import type { EventOf } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { type CaseAttribution, divisionOfOrg, orgOfGroup, regionsOf } from './dimensions';
import { type CaseFacts, StatisticsRepository } from './statistics.repository';

/**
 * Turns events into statistics: keeps each case's facts (department, section, officer, region, limits, dates) and
 * bumps the rollups of everything the case is attributed to, in the period of the event. Every effect runs in the
 * inbox transaction of its event, so an event counts once.
 */
@Injectable()
export class StatisticsRecorder {
  constructor(
    private readonly repo: StatisticsRepository,
    private readonly calendar: CalendarProvider,
  ) {}

  async accepted(event: EventOf<'gov.intake.application.accepted' | 'gov.intake.application.accepted-with-missing' | 'gov.intake.application.deemed-accepted'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const facts = (await this.repo.facts(m, d.caseNumber)) ?? blank(d.caseNumber);
    const firstTime = facts.acceptedAt === null;
    facts.tenantId = d.tenantId;
    facts.departmentCode = d.departmentCode;
    Object.assign(facts, regionsOfHandling(d.tenantId, d.departmentCode));
    facts.statutoryLimitWd = d.timeLimitWorkingDays;
    facts.acceptedAt = new Date(d.acceptedAt);
    await this.repo.saveFacts(m, facts);
    if (firstTime) await this.repo.bump(m, facts, facts.acceptedAt, { received: 1, accepted: 1 });
  }

  /** The officer who completed a case's latest step is the one its decision is attributed to; the step's group names the section. */
  async stepCompleted(event: EventOf<'gov.approval.step.completed'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const caseNumber = d.businessKey ?? d.processInstanceId;
    const facts = (await this.repo.facts(m, caseNumber)) ?? blank(caseNumber);
    if (facts.decidedAt !== null) return;
    if (d.assignee) facts.officerId = d.assignee;
    const section = d.candidateGroups.map(orgOfGroup).find((o) => o !== undefined && o !== facts.departmentCode);
    if (section) facts.sectionCode = section;
    if (!facts.departmentCode) facts.departmentCode = d.candidateGroups.map(orgOfGroup).find((o) => o !== undefined) ?? null;
    await this.repo.saveFacts(m, facts);
  }

  async decided(event: EventOf<'gov.approval.case.decided'>, m: EntityManager): Promise<void> {
    const d = event.data;
    // A revocation is a later document of a case already counted when it was decided, not a second decision.
    if (d.decision === 'revoked') return;
    const facts = (await this.repo.facts(m, d.caseNumber)) ?? blank(d.caseNumber);
    if (facts.decidedAt !== null) return;
    facts.decidedAt = new Date(d.decidedAt);
    const calendar = await this.calendar.get();
    const used = facts.acceptedAt ? calendar.workingDaysBetween(facts.acceptedAt, facts.decidedAt) : null;
    facts.workingDaysUsed = used;
    await this.repo.saveFacts(m, facts);
    const statutory = facts.statutoryLimitWd;
    const promised = facts.promisedLimitWd;
    await this.repo.bump(m, facts, facts.decidedAt, {
      decided: 1,
      ...(used !== null && statutory !== null ? { on_time: used <= statutory ? 1 : 0, used_wd_sum: used, statutory_wd_sum: statutory, usedWorkingDays: used } : {}),
      ...(used !== null && promised !== null ? { promised_count: 1, promised_wd_sum: promised, promised_on_time: used <= promised ? 1 : 0 } : {}),
    });
  }

  async alert(event: EventOf<'gov.supervision.alert.raised'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const attribution = await this.attributionOf(m, d.caseNumber, d.candidateGroups);
    await this.repo.bump(m, attribution, new Date(d.raisedAt), d.level === 'red' ? { reds: 1 } : { yellows: 1 });
  }

  /** A case deadline light, counted for the case's department, section, officer and region apart from step lights. */
  async caseLight(event: EventOf<'gov.supervision.case-light.raised'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const attribution = await this.attributionOf(m, d.caseNumber, d.departmentCode ? [`department:${d.departmentCode}`] : []);
    await this.repo.bump(m, attribution, new Date(d.raisedAt), d.level === 'red' ? { case_reds: 1 } : { case_yellows: 1 });
  }

  /** A return (退回), attributed to the officer who made it when the event names them. */
  async returned(event: EventOf<'gov.approval.case.returned'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const attribution = { ...(await this.attributionOf(m, d.caseNumber, d.candidateGroups ?? [])) };
    if (d.by) attribution.officerId = d.by;
    await this.repo.bump(m, attribution, new Date(d.returnedAt), { returns: 1 });
  }

  /** A suspension (暂停计算) of the case's clock, counted when it begins. */
  async suspended(event: EventOf<'gov.approval.step.suspended'>, m: EntityManager): Promise<void> {
    const d = event.data;
    await this.repo.bump(m, await this.attributionOf(m, d.caseNumber, []), new Date(d.suspendedAt), { suspensions: 1 });
  }

  /** Consultations are counted for the matter's department (and its region) when asked, and again when overdue. */
  async consultation(event: EventOf<'gov.intake.consultation.asked' | 'gov.intake.consultation.overdue'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const attribution: CaseAttribution = { officerId: null, sectionCode: null, departmentCode: d.departmentCode, ...regionsOfHandling(d.tenantId, d.departmentCode) };
    if (event.type === 'gov.intake.consultation.asked') await this.repo.bump(m, attribution, new Date(d.askedAt), { consultations: 1 });
    else await this.repo.bump(m, attribution, new Date((d as { overdueAt: string }).overdueAt), { consultations_overdue: 1 });
  }

  async complaint(event: EventOf<'gov.supervision.complaint.filed'>, m: EntityManager): Promise<void> {
    const d = event.data;
    const facts = d.caseNumber ? await this.repo.facts(m, d.caseNumber) : undefined;
    const attribution: CaseAttribution = facts ?? {
      officerId: d.officerId,
      sectionCode: null,
      departmentCode: d.departmentCode,
      ...regionsOf(divisionOfOrg(d.departmentCode)),
    };
    if (facts && d.subjectKind === 'officer' && d.officerId) attribution.officerId = d.officerId;
    await this.repo.bump(m, attribution, new Date(d.filedAt), { complaints: 1 });
  }

  async rating(event: EventOf<'gov.supervision.rating.submitted'>, m: EntityManager): Promise<void> {
    const d = event.data;
    if (d.kind !== 'service') return;
    const attribution = await this.attributionOf(m, d.caseNumber, []);
    await this.repo.bump(m, attribution, new Date(d.ratedAt), { ratings: 1, rating_sum: d.grade, bad_ratings: d.grade <= 2 ? 1 : 0 });
  }

  private async attributionOf(m: EntityManager, caseNumber: string, groups: readonly string[]): Promise<CaseAttribution> {
    const facts = await this.repo.facts(m, caseNumber);
    if (facts) return facts;
    // An alert may overtake the case's acceptance (another topic): its step's group still names the department.
    const departmentCode = groups.map(orgOfGroup).find((o) => o !== undefined) ?? null;
    return { officerId: null, sectionCode: null, departmentCode, ...regionsOf(divisionOfOrg(departmentCode)) };
  }
}

/** Where something is handled: a 9-digit tenant is a township; otherwise the department's own division says. */
function regionsOfHandling(tenantId: string, departmentCode: string) {
  return regionsOf(/^\d{9}$/.test(tenantId) ? tenantId : (divisionOfOrg(departmentCode) ?? tenantId));
}

function blank(caseNumber: string): CaseFacts {
  return {
    caseNumber,
    tenantId: null,
    departmentCode: null,
    sectionCode: null,
    officerId: null,
    city: null,
    county: null,
    township: null,
    statutoryLimitWd: null,
    promisedLimitWd: null,
    acceptedAt: null,
    decidedAt: null,
    workingDaysUsed: null,
  };
}
