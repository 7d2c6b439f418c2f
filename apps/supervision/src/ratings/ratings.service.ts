import { randomUUID } from 'node:crypto';
import { OrgScope, type Principal, actorLabel } from '@gov/auth';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { runIdempotent } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { SupervisionErrors } from '../errors';
import type { RateCaseDto, RateRectificationDto } from './dtos/rating.dto';
import { BAD_GRADE_MAX, INDICATOR_SETS } from './indicator-sets';
import { RatingEntity, RectificationEntity } from './rating.entity';
import { RatingsRepository } from './ratings.repository';

export interface RatingView {
  id: string;
  caseNumber: string;
  kind: 'service' | 'rectification';
  grade: number;
  bad: boolean;
  ratedAt: string;
  /** The rectification a bad rating opened. */
  rectification: RectificationView | null;
}

export interface RectificationView {
  id: string;
  caseNumber: string;
  departmentCode: string | null;
  status: 'open' | 'done' | 'rated';
  openedAt: string;
  deadline: string;
  doneAt: string | null;
  action: string | null;
  followUpRatingId: string | null;
}

const SOURCE = '/supervision/ratings';

/** 好差评: an applicant rates a decided case; a bad rating opens a rectification, which the applicant rates in turn. */
@Injectable()
export class RatingsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: RatingsRepository,
    private readonly calendar: CalendarProvider,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  rate(dto: RateCaseDto, principal: Principal, idempotencyKey: string): Promise<{ result: RatingView; replayed: boolean }> {
    const grades = checkGrades(dto.indicatorSet, dto.grades);
    return runIdempotent(this.ds, `ratings:${principal.subject}`, idempotencyKey, dto, async (m) => {
      const c = await this.repo.ratingCase(m, dto.caseNumber);
      if (!c || c.decidedAt === null) {
        throw SupervisionErrors.error('CaseNotRateable', `Case ${dto.caseNumber} has no decision yet: a case is rated after it is decided.`, { field: 'caseNumber' });
      }
      OrgScope.assertCanActOn(principal, { orgCode: c.departmentCode ?? '', applicantId: c.applicantId ?? undefined });
      const now = this.clock.now();
      const rating = Object.assign(new RatingEntity(), {
        id: randomUUID(),
        caseNumber: dto.caseNumber,
        kind: 'service' as const,
        grade: grades['overall'],
        grades,
        indicatorSet: dto.indicatorSet,
        comment: dto.comment ?? null,
        applicantSubject: principal.subject,
        ratedAt: now,
      });
      if (!(await this.repo.insertRating(m, rating))) {
        throw SupervisionErrors.error('AlreadyRated', `Case ${dto.caseNumber} was already rated; a bad rating is followed up through its rectification.`, { field: 'caseNumber' });
      }
      await this.publish(m, rating);
      let rectification: RectificationEntity | null = null;
      if (rating.grade <= BAD_GRADE_MAX) {
        rectification = Object.assign(new RectificationEntity(), {
          id: randomUUID(),
          ratingId: rating.id,
          caseNumber: rating.caseNumber,
          departmentCode: c.departmentCode,
          applicantId: c.applicantId,
          status: 'open' as const,
          openedAt: now,
          deadline: (await this.calendar.get()).deadline(now, this.config.RATING_RECTIFICATION_WORKING_DAYS),
          doneAt: null,
          doneBy: null,
          action: null,
          followUpRatingId: null,
          version: 1,
        });
        await this.repo.insertRectification(m, rectification);
      }
      return ratingView(rating, rectification);
    });
  }

  async complete(id: string, action: string, principal: Principal): Promise<RectificationView> {
    return this.ds.transaction(async (m) => {
      const r = await this.lockVisible(m, id, principal);
      if (r.status !== 'open') throw SupervisionErrors.error('RectificationStateConflict', `The rectification is ${r.status}, not open.`, { status: r.status });
      const changes = { status: 'done' as const, doneAt: this.clock.now(), doneBy: actorLabel(principal), action };
      if (!(await this.repo.updateRectification(m, r, changes))) throw SupervisionErrors.error('RectificationStateConflict', 'The rectification changed meanwhile; reload it.');
      return rectificationView({ ...r, ...changes });
    });
  }

  rateRectification(id: string, dto: RateRectificationDto, principal: Principal, idempotencyKey: string): Promise<{ result: RatingView; replayed: boolean }> {
    return runIdempotent(this.ds, `ratings:${principal.subject}`, idempotencyKey, { id, ...dto }, async (m) => {
      const r = await this.lockVisible(m, id, principal);
      if (r.status !== 'done') {
        throw SupervisionErrors.error('RectificationStateConflict', r.status === 'open' ? 'The rectification is not done yet: rate it once the department reports it done.' : 'The rectification was already rated.', { status: r.status });
      }
      const rating = Object.assign(new RatingEntity(), {
        id: randomUUID(),
        caseNumber: r.caseNumber,
        kind: 'rectification' as const,
        grade: dto.grade,
        grades: { overall: dto.grade },
        indicatorSet: 'rectification-v1',
        comment: dto.comment ?? null,
        applicantSubject: principal.subject,
        ratedAt: this.clock.now(),
      });
      if (!(await this.repo.insertRating(m, rating))) throw SupervisionErrors.error('AlreadyRated', 'The rectification of this case was already rated.');
      if (!(await this.repo.updateRectification(m, r, { status: 'rated', followUpRatingId: rating.id }))) throw SupervisionErrors.error('RectificationStateConflict', 'The rectification changed meanwhile; reload it.');
      await this.publish(m, rating);
      return ratingView(rating, { ...r, status: 'rated', followUpRatingId: rating.id });
    });
  }

  async rectification(id: string, principal: Principal): Promise<RectificationView> {
    const r = await this.repo.rectification(id);
    if (!r) throw SupervisionErrors.error('RectificationNotFound', `No rectification ${id}.`, { field: 'id' });
    OrgScope.assertCanActOn(principal, { orgCode: r.departmentCode ?? '', applicantId: r.applicantId ?? undefined });
    return rectificationView(r);
  }

  async rectifications(principal: Principal, status: 'open' | 'done' | 'rated' | undefined, limit: number): Promise<RectificationView[]> {
    return (await this.repo.rectifications(OrgScope.visibleOrgs(principal), status, limit)).map(rectificationView);
  }

  private async lockVisible(m: EntityManager, id: string, principal: Principal): Promise<RectificationEntity> {
    const r = await this.repo.lockRectification(m, id);
    if (!r) throw SupervisionErrors.error('RectificationNotFound', `No rectification ${id}.`, { field: 'id' });
    OrgScope.assertCanActOn(principal, { orgCode: r.departmentCode ?? '', applicantId: r.applicantId ?? undefined });
    return r;
  }

  private async publish(m: EntityManager, r: RatingEntity): Promise<void> {
    await enqueueEvent(
      m,
      makeEvent({
        type: 'gov.supervision.rating.submitted',
        source: SOURCE,
        subject: r.caseNumber,
        data: { ratingId: r.id, caseNumber: r.caseNumber, kind: r.kind, grade: r.grade, indicatorSet: r.indicatorSet, ratedAt: r.ratedAt.toISOString() },
      }),
    );
  }
}

/** Every indicator of the named set graded 1-5, and nothing else. */
export function checkGrades(version: string, grades: Record<string, unknown>): Record<string, number> {
  const set = INDICATOR_SETS[version];
  if (!set) throw SupervisionErrors.error('IndicatorSetMismatch', `indicatorSet: no set ${version}; see GET /ratings/indicator-sets.`, { field: 'indicatorSet' });
  const keys = set.indicators.map((i) => i.key);
  const extra = Object.keys(grades).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw SupervisionErrors.error('IndicatorSetMismatch', `grades.${extra[0]}: not an indicator of ${version} (${keys.join(', ')}).`, { field: `grades.${extra[0]}` });
  const out: Record<string, number> = {};
  for (const k of keys) {
    const g = grades[k];
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || g > 5) {
      throw SupervisionErrors.error('IndicatorSetMismatch', `grades.${k}: must be a whole number from 1 (非常不满意) to 5 (非常满意).`, { field: `grades.${k}` });
    }
    out[k] = g;
  }
  return out;
}

function ratingView(r: RatingEntity, rect: RectificationEntity | null): RatingView {
  return { id: r.id, caseNumber: r.caseNumber, kind: r.kind, grade: r.grade, bad: r.grade <= BAD_GRADE_MAX, ratedAt: r.ratedAt.toISOString(), rectification: rect ? rectificationView(rect) : null };
}

function rectificationView(r: RectificationEntity): RectificationView {
  return {
    id: r.id,
    caseNumber: r.caseNumber,
    departmentCode: r.departmentCode,
    status: r.status,
    openedAt: r.openedAt.toISOString(),
    deadline: r.deadline.toISOString(),
    doneAt: r.doneAt?.toISOString() ?? null,
    action: r.action,
    followUpRatingId: r.followUpRatingId,
  };
}
