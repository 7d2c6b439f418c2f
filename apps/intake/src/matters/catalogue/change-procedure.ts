import { OrgScope, type Principal, Role, actingSubject, actorLabel } from '@gov/auth';
import { runIdempotent } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../../config';
import { IntakeErrors } from '../../errors';
import { unifiedCodeProblem } from '../matter-code';
import type { MatterElements, VersionState } from '../matter-version';
import { type ElementIssue, parseElements } from './elements';
import type { MatterVersionRow } from './matter-version.entity';
import { type MatterChangeAction, recordMatterChange } from './matter-changes';
import { MatterVersionsRepository } from './matter-versions.repository';

/** Officers of a department who draft, revise, submit and publish its matters' versions. */
export const DRAFTING_ROLES: readonly Role[] = [Role.Handler, Role.SectionChief, Role.Leader];
/** The department head (主管领导) who approves a version (seed 004 art. 14). */
export const APPROVING_ROLE = Role.Leader;

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

  private assertRole(principal: Principal, roles: readonly Role[], what: string): void {
    if (principal.type !== 'officer' || !principal.roles.some((r) => roles.includes(r))) {
      throw IntakeErrors.error('InsufficientRole', `${what} needs one of the roles ${roles.join(', ')} in the matter's department.`);
    }
  }

  private async checkBundle(manager: EntityManager, code: string, e: MatterElements): Promise<void> {
    for (const [i, member] of e.bundle.entries()) {
      const field = `elements.bundle.${i}`;
      if (member === code) invalidElements([{ field, rule: 'notSelf', message: `${field}: a bundle cannot contain the bundle matter itself` }]);
      const found = await this.versions.published(member, manager);
      if (!found) invalidElements([{ field, rule: 'publishedMatter', message: `${field}: ${member} is not a published matter of the catalogue` }]);
      if (found.elements.bundle.length > 0) invalidElements([{ field, rule: 'notBundle', message: `${field}: ${member} is itself a bundle` }]);
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
    this.assertRole(principal, DRAFTING_ROLES, 'Submitting a catalogue version');
    return this.step(code, version, principal, ['draft'], async (manager, _row, at) => {
      await this.versions.updateVersion(manager, code, version, { state: 'submitted', submittedAt: at });
      await this.audit(manager, code, version, 'submitted', principal, at);
      return 'submitted';
    });
  }

  /** The department head approves a submitted version; not the officer who drafted it. */
  approve(code: string, version: number, comment: string | undefined, principal: Principal): Promise<VersionResult> {
    this.assertRole(principal, [APPROVING_ROLE], 'Approving a catalogue version (主管领导审核确认)');
    return this.step(code, version, principal, ['submitted'], async (manager, row, at) => {
      if (row.draftedBy === actingSubject(principal)) throw IntakeErrors.error('DutiesNotSeparated', 'The officer who drafted a version cannot approve it; the department head approves it.');
      await this.versions.updateVersion(manager, code, version, { state: 'approved', approvedBy: actingSubject(principal), approvedByName: actorLabel(principal), approvedAt: at });
      await this.audit(manager, code, version, 'approved', principal, at, { comment: comment ?? '' });
      return 'approved';
    });
  }

  /** The service-management office files (备案) a version the department head approved. */
  file(code: string, version: number, comment: string | undefined, principal: Principal): Promise<VersionResult> {
    this.assertRole(principal, [this.config.CATALOGUE_FILING_ROLE], 'Filing a catalogue version (报政务服务管理办公室备案)');
    return this.step(code, version, principal, ['approved'], async (manager, row, at) => {
      if (row.draftedBy === actingSubject(principal) || row.approvedBy === actingSubject(principal)) {
        throw IntakeErrors.error('DutiesNotSeparated', 'The office that files a version is not the officer who drafted or approved it.');
      }
      await this.versions.updateVersion(manager, code, version, { state: 'filed', filedBy: actingSubject(principal), filedByName: actorLabel(principal), filedAt: at });
      await this.audit(manager, code, version, 'filed', principal, at, { comment: comment ?? '' });
      return 'filed';
    });
  }

  /** The head (of a submitted version) or the office (of an approved one) sends it back with the reason. */
  reject(code: string, version: number, reason: string, principal: Principal): Promise<VersionResult> {
    this.assertRole(principal, [APPROVING_ROLE, this.config.CATALOGUE_FILING_ROLE], 'Rejecting a catalogue version');
    return this.step(code, version, principal, ['submitted', 'approved'], async (manager, row, at) => {
      const needed = row.state === 'submitted' ? APPROVING_ROLE : this.config.CATALOGUE_FILING_ROLE;
      if (!principal.roles.includes(needed)) throw IntakeErrors.error('InsufficientRole', `A ${row.state} version is rejected by the holder of ${needed}.`);
      await this.versions.updateVersion(manager, code, version, { state: 'rejected', rejectedBy: actingSubject(principal), rejectedAt: at, rejectionReason: reason });
      await this.audit(manager, code, version, 'rejected', principal, at, { reason, from: row.state });
      return 'rejected';
    });
  }

  /** The department publishes a filed version: it comes into force, the previous one is retired. */
  publish(code: string, version: number, principal: Principal): Promise<VersionResult> {
    this.assertRole(principal, DRAFTING_ROLES, 'Publishing a catalogue version');
    return this.step(code, version, principal, ['filed'], async (manager, row, at) => {
      const retired = await this.versions.publish(manager, code, version, row.elements, at);
      await this.audit(manager, code, version, 'published', principal, at, { retired });
      if (retired !== null) await this.audit(manager, code, retired, 'retired', principal, at, { replacedBy: version });
      return 'published';
    });
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

  private audit(manager: EntityManager, code: string, version: number, action: MatterChangeAction, principal: Principal, at: Date, details: Record<string, unknown> = {}): Promise<void> {
    return recordMatterChange(manager, { code, version, action, actor: actingSubject(principal), actorLabel: actorLabel(principal), at, details: { ...details, roles: principal.roles } });
  }
}
