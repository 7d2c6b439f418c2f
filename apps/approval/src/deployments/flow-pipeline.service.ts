import { createHash, randomUUID } from 'node:crypto';
import { type Principal, Role } from '@gov/auth';
import { runIdempotent } from '@gov/service-kit';
import { CamundaAdminClient, CamundaError, type MigrationValidation } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalErrors } from '../errors';
import type { DeployFlowDto, FlowSubmissionView, MigrateFlowDto, ReviewFlowDto, SubmitFlowDto } from './dtos/flow-submission.dto';
import { checkFlow } from './flow-checks';
import { FlowPipelineRepository, type LoggedStep } from './flow-pipeline.repository';
import type { FlowSubmission } from './flow-submission.entity';

export const FLOW_ENGINE = Symbol('FLOW_ENGINE');

/**
 * An engine call of the pipeline with its failure in the caller's terms: the engine refusing the file or the plan
 * (e.g. its XSD validation, ENGINE-09005) is a 422 with the engine's reason, no answer a 503, anything else a 502.
 */
async function onEngine<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (!(e instanceof CamundaError)) throw e;
    if (e.isUnavailable) throw ApprovalErrors.error('EngineUnavailable', 'The process engine is not answering; nothing was changed; try again shortly.');
    if (e.status >= 400 && e.status < 500) throw ApprovalErrors.error('EngineRefused', `The process engine refused: ${e.reason}`, { engineStatus: e.status, engineError: e.type });
    throw ApprovalErrors.error('EngineFailed', `The process engine failed: ${e.reason}`, { engineStatus: e.status, engineError: e.type });
  }
}

/** The tenant (six-digit division) an organisation code belongs to: a unified social credit code carries it at 3-8. */
export function tenantOfOrg(orgCode: string): string {
  return orgCode.slice(2, 8);
}

function view(s: FlowSubmission): FlowSubmissionView {
  return {
    id: s.id,
    tenantId: s.tenantId,
    processKey: s.processKey,
    fileName: s.fileName,
    bpmnSha256: s.bpmnSha256,
    status: s.status,
    submittedBy: s.submittedBy,
    submittedAt: new Date(s.submittedAt).toISOString(),
    reviewedBy: s.reviewedBy,
    filingNumber: s.filingNumber,
    processDefinitionId: s.processDefinitionId,
    processDefinitionVersion: s.processDefinitionVersion,
    checkReport: s.checkReport,
  };
}

export interface MigrationReport {
  dryRun: boolean;
  sourceProcessDefinitionId: string;
  targetProcessDefinitionId: string;
  instructions: { from: string[]; to: string[] }[];
  failures: string[];
  instances: string[];
  migrated: number;
}

/**
 * The analysts' deploy pipeline (issue 9 §4; seed 004 art. 14): upload → checks → department head's review →
 * filing → deployment as a new version for the tenant → optional migration of running instances. Nothing reaches
 * the engine any other way, and every step is in the pipeline ledger.
 */
@Injectable()
export class FlowPipelineService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: FlowPipelineRepository,
    @Inject(FLOW_ENGINE) private readonly engine: CamundaAdminClient,
  ) {}

  private actor(p: Principal): { actorId: string; actorName: string } {
    return { actorId: p.subject, actorName: p.actor ? `${p.actor.name}（授权：${p.name}）` : p.name };
  }

  private requireTenant(p: Principal, tenantId: string): void {
    if (p.roles.includes(Role.Sysadmin)) return;
    if (!p.orgs.some((o) => tenantOfOrg(o) === tenantId)) {
      throw ApprovalErrors.error('FlowTenantForbidden', `You work for no organisation of tenant ${tenantId}.`, { tenantId });
    }
  }

  async submit(dto: SubmitFlowDto, key: string, p: Principal): Promise<{ result: FlowSubmissionView; replayed: boolean }> {
    this.requireTenant(p, dto.tenantId);
    // The checks are pure computation: they run before the transaction, and a failure changes nothing.
    const report = await checkFlow(dto.bpmnXml);
    if (!report.ok || !report.processKey) {
      throw ApprovalErrors.error('FlowChecksFailed', 'The flow failed the pipeline checks; the report says where (soundness problems come with the failing path).', { report });
    }
    const processKey = report.processKey;
    return runIdempotent(this.ds, `flow-submit:${p.subject}`, key, dto, async (manager) => {
      const now = new Date();
      const s: FlowSubmission = {
        id: randomUUID(),
        tenantId: dto.tenantId,
        processKey,
        fileName: dto.fileName,
        bpmnXml: dto.bpmnXml,
        bpmnSha256: createHash('sha256').update(dto.bpmnXml).digest('hex'),
        status: 'checked',
        checkReport: report,
        submittedBy: p.subject,
        submittedAt: now,
        reviewedBy: null,
        reviewedAt: null,
        reviewComment: null,
        filingNumber: null,
        filedAt: null,
        deploymentId: null,
        processDefinitionId: null,
        processDefinitionVersion: null,
        deployedAt: null,
        rowVersion: 1,
      };
      await this.repo.insert(manager, s);
      await this.repo.log(manager, { submissionId: s.id, action: 'submitted', ...this.actor(p), tenantId: s.tenantId, processKey, bpmnSha256: s.bpmnSha256, details: { fileName: s.fileName, states: report.soundness?.states ?? {} }, createdAt: now });
      return view(s);
    });
  }

  async get(id: string, p: Principal): Promise<FlowSubmissionView & { history: LoggedStep[] }> {
    const s = await this.load(id, p);
    return { ...view(s), history: await this.repo.history(id) };
  }

  private async load(id: string, p: Principal): Promise<FlowSubmission> {
    const s = await this.repo.find(id);
    if (!s) throw ApprovalErrors.error('FlowSubmissionNotFound', `No flow submission ${id}.`, { id });
    this.requireTenant(p, s.tenantId);
    return s;
  }

  /** The department head approves (then it is filed) or refuses. The submitter cannot review their own flow. */
  async review(id: string, dto: ReviewFlowDto, key: string, p: Principal): Promise<{ result: FlowSubmissionView; replayed: boolean }> {
    const s = await this.load(id, p);
    if (s.submittedBy === p.subject) throw ApprovalErrors.error('FlowSelfApproval', 'The analyst who submitted a flow cannot review it.', { id });
    return runIdempotent(this.ds, `flow-review:${id}`, key, dto, async (manager) => {
      const now = new Date();
      const approved = dto.outcome === 'approve';
      const filingNumber = approved ? `${s.tenantId}-流程备案〔${now.getUTCFullYear()}〕${s.id.slice(0, 8)}` : null;
      const moved = await this.repo.transition(manager, id, 'checked', {
        status: approved ? 'approved' : 'rejected',
        reviewedBy: p.subject,
        reviewedAt: now,
        reviewComment: dto.comment,
        filingNumber,
        filedAt: approved ? now : null,
      });
      if (!moved) throw ApprovalErrors.error('FlowAlreadyReviewed', `Submission ${id} was already reviewed (it is ${s.status}).`, { id, status: s.status });
      const base = { submissionId: id, ...this.actor(p), tenantId: s.tenantId, processKey: s.processKey, bpmnSha256: s.bpmnSha256, createdAt: now };
      await this.repo.log(manager, { ...base, action: approved ? 'approved' : 'rejected', details: { comment: dto.comment } });
      if (approved) await this.repo.log(manager, { ...base, action: 'filed', details: { filingNumber } });
      const after = await this.repo.find(id, manager);
      return view(after as FlowSubmission);
    });
  }

  /**
   * Deploys an approved, filed submission as a new version for its tenant. The engine call runs outside any
   * transaction; a retry after a crash redeploys the same file, which the engine's duplicate filter turns into the
   * same definition, so the operation is idempotent by itself (the Idempotency-Key is still required and checked).
   */
  async deploy(id: string, dto: DeployFlowDto, p: Principal): Promise<FlowSubmissionView> {
    const s = await this.load(id, p);
    if (s.status === 'deployed') return view(s);
    if (s.status !== 'approved') {
      throw ApprovalErrors.error('FlowNotApproved', `Submission ${id} is ${s.status}: only a flow the department head approved and filed is deployed.`, { id, status: s.status });
    }
    const deployment = await onEngine(this.engine.deploy({
      name: `flow-submission:${s.id}`,
      tenantId: s.tenantId,
      source: 'flow-pipeline',
      files: [{ name: s.fileName, content: s.bpmnXml }],
    }));
    const [definition] = await onEngine(this.engine.processDefinitionsByKey(s.processKey, s.tenantId));
    if (!definition) throw ApprovalErrors.error('EngineFailed', `The engine shows no definition of ${s.processKey} after deployment ${deployment.id}.`, { id });
    await this.repo.transaction(async (manager) => {
      const now = new Date();
      const moved = await this.repo.transition(manager, id, 'approved', {
        status: 'deployed',
        deploymentId: deployment.id,
        processDefinitionId: definition.id,
        processDefinitionVersion: definition.version,
        deployedAt: now,
      });
      if (!moved) return;
      await this.repo.log(manager, {
        submissionId: id,
        action: 'deployed',
        ...this.actor(p),
        tenantId: s.tenantId,
        processKey: s.processKey,
        bpmnSha256: s.bpmnSha256,
        details: { deploymentId: deployment.id, processDefinitionId: definition.id, version: definition.version, note: dto.note ?? null },
        createdAt: now,
      });
    });
    return view((await this.repo.find(id)) as FlowSubmission);
  }

  /**
   * Moves the running instances of an earlier version onto this submission's version through the engine's migration
   * API (Cockpit's migration UI is Enterprise-only). A dry run reports the generated plan, the engine's validation and
   * the instances concerned; the migration itself runs only after a dry run of the same source was reported.
   */
  async migrate(id: string, dto: MigrateFlowDto, p: Principal): Promise<MigrationReport> {
    const s = await this.load(id, p);
    if (s.status !== 'deployed' || !s.processDefinitionId) {
      throw ApprovalErrors.error('FlowNotApproved', `Submission ${id} is ${s.status}: instances migrate only to a deployed version.`, { id, status: s.status });
    }
    const source = await onEngine(this.engine.processDefinitionVersion(s.processKey, dto.fromVersion, s.tenantId));
    if (!source || source.id === s.processDefinitionId) {
      throw ApprovalErrors.error('FlowVersionNotFound', `Tenant ${s.tenantId} has no other deployed version ${dto.fromVersion} of ${s.processKey}.`, { fromVersion: dto.fromVersion });
    }
    if (!dto.dryRun && !(await this.repo.hasDryRun(id, source.id))) {
      throw ApprovalErrors.error('MigrationDryRunFirst', 'Run the migration with dryRun: true first and read its report.', { sourceProcessDefinitionId: source.id });
    }
    const plan = await onEngine(this.engine.generateMigrationPlan(source.id, s.processDefinitionId));
    let validation: MigrationValidation;
    try {
      validation = await this.engine.validateMigrationPlan(plan);
    } catch (e) {
      if (e instanceof CamundaError && e.status === 400) validation = { instructionReports: [{ instruction: { sourceActivityIds: [], targetActivityIds: [] }, failures: [e.message] }] };
      else throw e;
    }
    const failures = validation.instructionReports.flatMap((r) => r.failures.map((f) => `${r.instruction.sourceActivityIds.join(',')} → ${r.instruction.targetActivityIds.join(',')}: ${f}`));
    const instances = (await onEngine(this.engine.processInstancesOf(source.id))).map((i) => i.id);
    const report: MigrationReport = {
      dryRun: dto.dryRun,
      sourceProcessDefinitionId: source.id,
      targetProcessDefinitionId: s.processDefinitionId,
      instructions: plan.instructions.map((i) => ({ from: i.sourceActivityIds, to: i.targetActivityIds })),
      failures,
      instances,
      migrated: 0,
    };
    if (!dto.dryRun) {
      if (failures.length > 0) throw ApprovalErrors.error('MigrationNotValid', 'The engine cannot apply this migration plan; nothing was migrated.', { report });
      if (instances.length > 0) await onEngine(this.engine.executeMigration(plan, instances));
      report.migrated = instances.length;
    }
    await this.repo.transaction(async (manager) => {
      await this.repo.log(manager, {
        submissionId: id,
        action: dto.dryRun ? 'migration-dry-run' : 'migrated',
        ...this.actor(p),
        tenantId: s.tenantId,
        processKey: s.processKey,
        bpmnSha256: s.bpmnSha256,
        details: { sourceProcessDefinitionId: source.id, targetProcessDefinitionId: s.processDefinitionId, instances: instances.length, failures, migrated: report.migrated },
        createdAt: new Date(),
      });
    });
    return report;
  }
}
