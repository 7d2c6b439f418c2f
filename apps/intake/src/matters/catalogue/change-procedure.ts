import { OrgScope, type Principal, Role, actingSubject, actorLabel } from '@gov/auth';
import { runIdempotent } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../../config';
import { IntakeErrors } from '../../errors';
import { unifiedCodeProblem } from '../matter-code';
import type { MatterElements, VersionState } from '../matter-version';
import { type ElementIssue, parseElements, uncoveredFields } from './elements';
import type { MatterVersionRow } from './matter-version.entity';
import { type MatterChangeAction, recordMatterChange } from './matter-changes';
import { MatterVersionsRepository } from './matter-versions.repository';

/** Officers of a department who draft, revise, submit and publish its matters' versions. */
export const DRAFTING_ROLES: readonly Role[] = [Role.Handler, Role.SectionChief, Role.Leader];
/** The department head (主管领导) who approves a version (seed 004 art. 14). */
export const APPROVING_ROLE = Role.Leader;

export const STEP_ACTIONS = ['submit', 'approve', 'file', 'reject', 'publish'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export interface StepOptions {
  comment?: string;
  reason?: string;
}

interface StepDefinition {
  roles: readonly Role[];
  what: string;
  from: readonly VersionState[];
  to: VersionState;
  work: (manager: EntityManager, row: MatterVersionRow, at: Date, principal: Principal, opts: StepOptions) => Promise<VersionState>;
}

export interface DraftCommand {
  code: string;
  tenantId: string;
  elements: unknown;
  note?: string;
}

export interface VersionResult {
  code: string;
  version: number;
  state: VersionState;
}

function invalidElements(issues: ElementIssue[]): never {
  throw IntakeErrors.error('InvalidMatterElements', `The matter's elements are not valid: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`, {
    field: issues[0].field,
    fields: issues,
  });
}

/**
 * The change procedure of the catalogue (seed 004 art. 14 and 16): a department's officer drafts a version and submits
 * it, the department head (主管领导) approves it, the service-management office files it (备案), and only then can it
 * be published; the version it replaces is retired, and cases keep the version they were accepted under. Each step is
 * a record of the matter's chain in the `intake.matter-changes` ledger, in the same transaction as the step.
 */
@Injectable()
export class ChangeProcedure {
  constructor(
    private readonly ds: DataSource,
    private readonly versions: MatterVersionsRepository,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  assertRole(principal: Principal, roles: readonly Role[], what: string): void {
    if (principal.type !== 'officer' || !principal.roles.some((r) => roles.includes(r))) {
      throw IntakeErrors.error('InsufficientRole', `${what} needs one of the roles ${roles.join(', ')} in the matter's department.`);
    }
  }

  async checkBundle(manager: EntityManager, code: string, e: MatterElements): Promise<void> {
    for (const [i, member] of e.bundle.entries()) {
      const field = `elements.bundle.${i}`;
      if (member === code) invalidElements([{ field, rule: 'notSelf', message: `${field}: a bundle cannot contain the bundle matter itself` }]);
      const found = await this.versions.published(member, manager);
      if (!found) invalidElements([{ field, rule: 'publishedMatter', message: `${field}: ${member} is not a published matter of the catalogue` }]);
      if (found.elements.bundle.length > 0) invalidElements([{ field, rule: 'notBundle', message: `${field}: ${member} is itself a bundle` }]);
      const missing = uncoveredFields(e.formSchema, found.elements.formSchema);
      if (missing.length > 0) {
        invalidElements([{ field: 'elements.formSchema', rule: 'combinedForm', message: `elements.formSchema: the combined form lacks ${missing.join(', ')}, which ${member}'s form requires` }]);
      }
    }
  }

  /** Drafts a new version of a matter (a new matter when the code is new). One open version per matter at a time. */
  async draft(command: DraftCommand, idempotencyKey: string, principal: Principal): Promise<{ result: VersionResult; replayed: boolean }> {
    this.assertRole(principal, DRAFTING_ROLES, 'Drafting a catalogue version');
    const parsed = parseElements(command.elements);
    if (!parsed.ok) invalidElements(parsed.issues);
    const elements = parsed.elements;
    OrgScope.assertCanActOn(principal, { orgCode: elements.departmentCode });
    return runIdempotent(this.ds, `catalogue-drafts:${principal.subject}`, idempotencyKey, command, async (manager) => {
      const matter = await this.versions.lockMatter(manager, command.code);
      if (!matter) {
        const problem = unifiedCodeProblem(command.code, command.tenantId);
        if (problem) throw IntakeErrors.error('InvalidUnifiedCode', `${problem}.`, { field: 'code', fields: [{ field: 'code', rule: 'unifiedMatterCode', message: problem }] });
        await this.versions.insertMatter(manager, command.code, command.tenantId, elements);
      } else {
        if (matter.tenantId !== command.tenantId) {
          throw IntakeErrors.error('ValidationFailed', `tenantId must be ${matter.tenantId}: matter ${command.code} belongs to that catalogue.`, { field: 'tenantId', fields: [{ field: 'tenantId', rule: 'matterTenant', message: `tenantId must be ${matter.tenantId}` }] });
        }
        // The department that owns the matter now drafts its next version (a move to another department is a version too).
        OrgScope.assertCanActOn(principal, { orgCode: matter.departmentCode });
        const open = await this.versions.openVersion(manager, command.code);
        if (open) throw IntakeErrors.error('OpenVersionExists', `Matter ${command.code} already has version ${open.version} in the change procedure (${open.state}); revise or finish it first.`, { code: command.code, version: open.version, state: open.state });
      }
      await this.checkBundle(manager, command.code, elements);
      const version = (await this.versions.maxVersion(manager, command.code)) + 1;
      const at = new Date();
      await this.versions.insertVersion(manager, {
        code: command.code,
        version,
        tenantId: command.tenantId,
        state: 'draft',
        elements,
        note: command.note ?? '',
        draftedBy: actingSubject(principal),
        draftedByName: actorLabel(principal),
        draftedAt: at,
      });
      await this.audit(manager, command.code, version, 'drafted', principal, at, { note: command.note ?? '' });
      return { code: command.code, version, state: 'draft' as const };
    });
  }

  /** Replaces a draft's elements (only while it is a draft, by the department). */
  async revise(code: string, version: number, elementsInput: unknown, note: string | undefined, principal: Principal): Promise<VersionResult> {
    this.assertRole(principal, DRAFTING_ROLES, 'Revising a catalogue version');
    const parsed = parseElements(elementsInput);
    if (!parsed.ok) invalidElements(parsed.issues);
    return this.step(code, version, principal, ['draft'], async (manager, row, at) => {
      OrgScope.assertCanActOn(principal, { orgCode: parsed.elements.departmentCode });
      await this.checkBundle(manager, code, parsed.elements);
      await this.versions.updateVersion(manager, code, version, { elements: parsed.elements, note: note ?? row.note });
      await this.audit(manager, code, version, 'revised', principal, at, { note: note ?? row.note });
      return 'draft';
    });
  }

  /** The department submits a draft to its head. */
  submit(code: string, version: number, principal: Principal): Promise<VersionResult> {
    return this.transition('submit', code, version, principal, {});
  }

  /** The department head approves a submitted version; not the officer who drafted it. */
  approve(code: string, version: number, comment: string | undefined, principal: Principal): Promise<VersionResult> {
    return this.transition('approve', code, version, principal, { comment });
  }

  /** The service-management office files (备案) a version the department head approved. */
  file(code: string, version: number, comment: string | undefined, principal: Principal): Promise<VersionResult> {
    return this.transition('file', code, version, principal, { comment });
  }

  /** The head (of a submitted version) or the office (of an approved one) sends it back with the reason. */
  reject(code: string, version: number, reason: string, principal: Principal): Promise<VersionResult> {
    return this.transition('reject', code, version, principal, { reason });
  }

  /** The department publishes a filed version: it comes into force, the previous one is retired. */
  publish(code: string, version: number, principal: Principal): Promise<VersionResult> {
    return this.transition('publish', code, version, principal, {});
  }

  /** The same step for every version one catalogue import drafted, all or none (each audited on its own). */
  async transitionImport(action: StepAction, importId: string, principal: Principal, opts: StepOptions): Promise<VersionResult[]> {
    const t = this.steps()[action];
    this.assertRole(principal, t.roles, t.what);
    return this.ds.transaction(async (manager) => {
      const rows = await this.versions.byImport(manager, importId);
      if (rows.length === 0) throw IntakeErrors.error('MatterVersionNotFound', `No catalogue import ${importId}.`, { field: 'param.importId' });
      await this.versions.lockMatters(manager, rows.map((r) => r.code));
      const at = new Date();
      const results: VersionResult[] = [];
      // Bundle members first, so a bundle never comes into force before the matters it fans out to.
      const ordered = [...rows].sort((a, b) => a.elements.bundle.length - b.elements.bundle.length || a.code.localeCompare(b.code));
      for (const row of ordered) {
        if (row.state === t.to) {
          results.push({ code: row.code, version: row.version, state: row.state });
          continue;
        }
        OrgScope.assertCanActOn(principal, { orgCode: row.elements.departmentCode });
        if (!t.from.includes(row.state)) throw this.stateConflict(row, t.from);
        const state = await t.work(manager, row, at, principal, opts);
        results.push({ code: row.code, version: row.version, state });
      }
      return results;
    });
  }

  private transition(action: StepAction, code: string, version: number, principal: Principal, opts: StepOptions): Promise<VersionResult> {
    const t = this.steps()[action];
    this.assertRole(principal, t.roles, t.what);
    return this.step(code, version, principal, t.from, (manager, row, at) => t.work(manager, row, at, principal, opts));
  }

  private steps(): Record<StepAction, StepDefinition> {
    const office = this.config.CATALOGUE_FILING_ROLE;
    return {
      submit: {
        roles: DRAFTING_ROLES,
        what: 'Submitting a catalogue version',
        from: ['draft'],
        to: 'submitted',
        work: async (manager, row, at, principal) => {
          await this.versions.updateVersion(manager, row.code, row.version, { state: 'submitted', submittedAt: at });
          await this.audit(manager, row.code, row.version, 'submitted', principal, at);
          return 'submitted';
        },
      },
      approve: {
        roles: [APPROVING_ROLE],
        what: 'Approving a catalogue version (主管领导审核确认)',
        from: ['submitted'],
        to: 'approved',
        work: async (manager, row, at, principal, opts) => {
          if (row.draftedBy === actingSubject(principal)) throw IntakeErrors.error('DutiesNotSeparated', 'The officer who drafted a version cannot approve it; the department head approves it.');
          await this.versions.updateVersion(manager, row.code, row.version, { state: 'approved', approvedBy: actingSubject(principal), approvedByName: actorLabel(principal), approvedAt: at });
          await this.audit(manager, row.code, row.version, 'approved', principal, at, { comment: opts.comment ?? '' });
          return 'approved';
        },
      },
      file: {
        roles: [office],
        what: 'Filing a catalogue version (报政务服务管理办公室备案)',
        from: ['approved'],
        to: 'filed',
        work: async (manager, row, at, principal, opts) => {
          if (row.draftedBy === actingSubject(principal) || row.approvedBy === actingSubject(principal)) {
            throw IntakeErrors.error('DutiesNotSeparated', 'The office that files a version is not the officer who drafted or approved it.');
          }
          await this.versions.updateVersion(manager, row.code, row.version, { state: 'filed', filedBy: actingSubject(principal), filedByName: actorLabel(principal), filedAt: at });
          await this.audit(manager, row.code, row.version, 'filed', principal, at, { comment: opts.comment ?? '' });
          return 'filed';
        },
      },
      reject: {
        roles: [APPROVING_ROLE, office],
        what: 'Rejecting a catalogue version',
        from: ['submitted', 'approved'],
        to: 'rejected',
        work: async (manager, row, at, principal, opts) => {
          const needed = row.state === 'submitted' ? APPROVING_ROLE : office;
          if (!principal.roles.includes(needed)) throw IntakeErrors.error('InsufficientRole', `A ${row.state} version is rejected by the holder of ${needed}.`);
          const reason = opts.reason ?? '';
          await this.versions.updateVersion(manager, row.code, row.version, { state: 'rejected', rejectedBy: actingSubject(principal), rejectedAt: at, rejectionReason: reason });
          await this.audit(manager, row.code, row.version, 'rejected', principal, at, { reason, from: row.state });
          return 'rejected';
        },
      },
      publish: {
        roles: DRAFTING_ROLES,
        what: 'Publishing a catalogue version',
        from: ['filed'],
        to: 'published',
        work: async (manager, row, at, principal) => {
          const retired = await this.versions.publish(manager, row.code, row.version, row.elements, at);
          await this.audit(manager, row.code, row.version, 'published', principal, at, { retired });
          if (retired !== null) await this.audit(manager, row.code, retired, 'retired', principal, at, { replacedBy: row.version });
          return 'published';
        },
      },
    };
  }

  /** One transition: the matter locked, the version in one of the expected states, the caller in the department. */
  private async step(
    code: string,
    version: number,
    principal: Principal,
    from: readonly VersionState[],
    work: (manager: EntityManager, row: MatterVersionRow, at: Date) => Promise<VersionState>,
  ): Promise<VersionResult> {
    return this.ds.transaction(async (manager) => {
      await this.versions.lockMatter(manager, code);
      const row = await this.versions.find(code, version, manager);
      if (!row) throw IntakeErrors.error('MatterVersionNotFound', `Matter ${code} has no version ${version}.`, { field: 'param.version' });
      OrgScope.assertCanActOn(principal, { orgCode: row.elements.departmentCode });
      if (!from.includes(row.state)) throw this.stateConflict(row, from);
      const state = await work(manager, row, new Date());
      return { code, version, state };
    });
  }

  private stateConflict(row: MatterVersionRow, from: readonly VersionState[]): Error {
    const details = { code: row.code, version: row.version, state: row.state, expected: from };
    // Filing or publishing what the head has not approved is the refusal the procedure exists for (art. 14).
    if ((from.includes('approved') || from.includes('filed')) && (row.state === 'draft' || row.state === 'submitted')) {
      return IntakeErrors.error('HeadApprovalRequired', `Version ${row.version} of ${row.code} is ${row.state}: the department head must approve it before it is filed and published (seed 004 art. 14).`, details);
    }
    if (from.includes('filed') && row.state === 'approved') {
      return IntakeErrors.error('FilingRequired', `Version ${row.version} of ${row.code} is approved but not yet filed with the service-management office; it cannot be published before (seed 004 art. 14).`, details);
    }
    return IntakeErrors.error('VersionStateConflict', `Version ${row.version} of ${row.code} is ${row.state}; this step needs it ${from.join(' or ')}.`, details);
  }

  audit(manager: EntityManager, code: string, version: number, action: MatterChangeAction, principal: Principal, at: Date, details: Record<string, unknown> = {}): Promise<void> {
    return recordMatterChange(manager, { code, version, action, actor: actingSubject(principal), actorLabel: actorLabel(principal), at, details: { ...details, roles: principal.roles } });
  }
}
