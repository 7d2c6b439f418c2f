import { OrgScope, type Principal } from '@gov/auth';
import { Injectable } from '@nestjs/common';
import { IntakeErrors } from '../errors';
import type { ApplicationRef } from './application-ref';
import type { Application } from './application.entity';
import { type ApplicationScope, ApplicationsRepository } from './applications.repository';
import { ApplicationDetailDto, type ApplicationPageDto, ApplicationSummaryDto } from './dtos/application-view.dto';
import type { ListApplicationsQuery } from './dtos/list-applications.query';

const DEFAULT_PAGE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(a: Pick<Application, 'receivedAt' | 'id'>): string {
  return Buffer.from(`${a.receivedAt.toISOString()}|${a.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { receivedAt: Date; id: string } | undefined {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !id || !UUID.test(id) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at)) return undefined;
  const receivedAt = new Date(at);
  return Number.isNaN(receivedAt.getTime()) ? undefined : { receivedAt, id };
}

/** What an applicant, an officer or a service may see of applications: their own, their organisations', all. */
export function scopeOf(principal: Principal): ApplicationScope | undefined {
  switch (principal.type) {
    case 'service':
      return { all: true };
    case 'applicant':
      return principal.applicantId ? { applicantId: principal.applicantId } : undefined;
    case 'officer':
      return principal.orgs.length > 0 ? { departmentCodes: principal.orgs } : undefined;
  }
}

/** Progress queries (办件查询): one application, or a page of those the caller may see. */
@Injectable()
export class ApplicationQueries {
  constructor(private readonly applications: ApplicationsRepository) {}

  async get(ref: ApplicationRef, principal: Principal): Promise<ApplicationDetailDto> {
    const app = ref.by === 'id' ? await this.applications.findById(ref.id) : await this.applications.findByCaseNumber(ref.caseNumber);
    const shown = ref.by === 'id' ? ref.id : ref.caseNumber;
    if (!app) throw IntakeErrors.error('ApplicationNotFound', `No application ${shown}.`);
    // A joint window (联合受理) shares a bundle with its parts' departments, and each part with the lead window.
    const parts = await this.applications.parts(app.id);
    const bundle = app.bundleId ? await this.applications.findById(app.bundleId) : null;
    const sharedWith = [...parts.map((p) => p.departmentCode), ...(bundle ? [bundle.departmentCode] : [])];
    OrgScope.assertCanActOn(principal, { orgCode: app.departmentCode, applicantId: app.applicantId, sharedWith });
    return ApplicationDetailDto.detail(app);
  }

  async list(query: ListApplicationsQuery, principal: Principal): Promise<ApplicationPageDto> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      const message = 'cursor must be the nextCursor of a previous page; start again without it.';
      throw IntakeErrors.error('InvalidCursor', message, { field: 'cursor', fields: [{ field: 'cursor', rule: 'cursor', message }] });
    }
    const scope = scopeOf(principal);
    if (!scope) return { items: [], nextCursor: null };
    const limit = query.limit ?? DEFAULT_PAGE;
    // One more than asked tells whether there is a next page.
    const rows = await this.applications.list({ scope, matterCode: query.matterCode, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { items: page.map((a) => ApplicationSummaryDto.of(a)), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }
}
