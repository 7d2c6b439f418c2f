import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER, Periodic, PeriodicService } from '@gov/service-kit';
import { calledElements, parseBpmn, timeLimitVariables } from '@gov/soundness';
import { CamundaClient, CamundaError } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import type { Case, CaseStartSpec } from './case.entity';
import { CasesRepository } from './cases.repository';

interface DefinitionShape {
  /** User-task id → the variable its limit is read from. */
  limitVariables: Map<string, string>;
  calls: ReturnType<typeof calledElements>;
  /** The variables the candidate groups of its user tasks are expressions over (e.g. `cityDepartmentCode`). */
  groupVariables: string[];
}

/** The plain variables `${name}` the flow's candidate-group expressions read. */
function groupVariablesOf(xml: string): string[] {
  const out = new Set<string>();
  for (const m of xml.matchAll(/camunda:candidateGroups="([^"]*)"/g)) for (const v of (m[1] ?? '').matchAll(/\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)) if (v[1]) out.add(v[1]);
  return [...out];
}

/** How long one starter holds a case while it asks the engine (longer than the engine client's timeout). */
const START_LEASE_MS = 60_000;

export type StartOutcome = 'started' | 'adopted' | 'not-waiting' | 'ended-meanwhile';

/**
 * Starts recorded cases on the engine, outside any transaction: lease the case, ask the engine (adopting an instance
 * an interrupted earlier start left, else starting the definition in force with the matter's step limits), then mark
 * it started and publish `gov.approval.case.started` in one short transaction. A case that ended (withdrawn) while
 * the engine was asked gets its fresh instance deleted, and so does the running instance of a case that ended
 * (`cancelEnded`, after the ending committed). At start and then periodically, a reconciler finishes both: every case
 * still waiting whose lease ran out, every ended case whose instance the engine still runs (a crash, an outage).
 */
@Injectable()
export class CaseStarter extends PeriodicService {
  protected readonly periodic: Periodic;
  /** Definition id → what starting it needs to know (limit variables, calls). Definitions never change once deployed. */
  private readonly shapes = new Map<string, Promise<DefinitionShape>>();

  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly engine: CamundaClient,
  ) {
    super();
    this.periodic = new Periodic(config.RECONCILE_INTERVAL_MS, () => this.reconcileOnce(), (e) => logger.error({ err: e }, 'starting waiting cases failed; will retry'), { atStart: true });
  }


  /**
   * Deletes the instance of a case that ended (withdrawn, terminated) while it ran; an instance the engine no longer
   * has counts as deleted. Safe to repeat and to race: deleting twice finds it gone.
   */
  async cancelEnded(caseNumber: string): Promise<void> {
    const [c] = await this.cases.instancesToCancel(1, caseNumber);
    if (!c) return;
    await this.engine.deleteProcessInstance(c.processInstanceId, c.reason).catch((e: unknown) => {
      if (!(e instanceof CamundaError && e.isNotFound)) throw e;
    });
    await this.cases.instanceCancelled(caseNumber);
  }

  /** One pass: the ended cases whose instance still runs, then the cases waiting to start; returns how many it started. */
  async reconcileOnce(): Promise<number> {
    for (const c of await this.cases.instancesToCancel()) {
      if (this.periodic.stopping) return 0;
      await this.cancelEnded(c.caseNumber).catch((e: unknown) => this.logger.warn({ caseId: c.caseNumber, err: e }, "an ended case's instance could not be deleted yet; retried"));
    }
    let started = 0;
    for (const caseNumber of await this.cases.awaitingStart()) {
      if (this.periodic.stopping) break;
      try {
        const outcome = await this.start(caseNumber);
        if (outcome === 'started' || outcome === 'adopted') {
          started += 1;
          this.logger.info({ caseId: caseNumber, outcome }, 'waiting case started by the reconciler');
        }
      } catch (e) {
        this.logger.warn({ caseId: caseNumber, err: e }, 'a waiting case could not be started; retried after its lease');
      }
    }
    return started;
  }

  async start(caseNumber: string): Promise<StartOutcome> {
    const c = await this.cases.leaseStart(caseNumber, START_LEASE_MS);
    if (!c?.startSpec) return 'not-waiting';
    const spec = c.startSpec;
    const existing = await this.engine.processInstances({ businessKey: c.caseNumber, tenantIdIn: [c.tenantId], processDefinitionKey: c.processKey });
    let instanceId: string;
    let outcome: StartOutcome;
    if (existing[0]) {
      // Adopt it only if it is this application's: a case number reused for another application is an integrity
      // failure to surface (logged at every attempt), never a case to merge into.
      const applicationId = await this.engine.variable(existing[0].id, 'applicationId');
      if (applicationId !== spec.applicationId) {
        throw new Error(`process instance ${existing[0].id} already carries business key ${c.caseNumber} for application ${String(applicationId)}, not ${spec.applicationId}`);
      }
      instanceId = existing[0].id;
      outcome = 'adopted';
    } else {
      instanceId = (await this.startInstance(c, spec)).id;
      outcome = 'started';
    }
    const startedAt = new Date();
    const marked = await this.ds.transaction(async (m) => {
      if (!(await this.cases.markStarted(m, c.caseNumber, instanceId, startedAt))) return false;
      await enqueueEvent(
        m,
        makeEvent({
          type: 'gov.approval.case.started',
          source: '/approval',
          subject: c.caseNumber,
          tenantId: c.tenantId,
          traceId: spec.traceId,
          correlationId: spec.correlationId,
          data: { caseNumber: c.caseNumber, processInstanceId: instanceId, processKey: c.processKey, tenantId: c.tenantId, startedAt: startedAt.toISOString() },
        }),
      );
      return true;
    });
    if (marked) return outcome;
    // Ended (withdrawn, terminated) while the engine was asked: the instance must not run on.
    await this.engine.deleteProcessInstance(instanceId, 'the case ended before it started').catch((e: unknown) => {
      if (!(e instanceof CamundaError && e.isNotFound)) throw e;
    });
    return 'ended-meanwhile';
  }

  /**
   * Starts the definition in force. Its tasks' limit variables, and those of the flows it calls (上报件: the city's
   * review, in the tenant its `calledElementTenantId` names), are read from the definitions in force, so a step limit
   * keyed by a called flow's task is set too; a limit for a task no flow has, or whose limit is fixed, is logged and
   * left out (the model's default applies). A call whose tenant or candidate groups name a variable the case lacks
   * refuses the start (thrown: the case waits, the reconciler logs it at every attempt): such an instance would fail at
   * the call with the county's opinions already given.
   */
  private async startInstance(c: Case, spec: CaseStartSpec) {
    // The payment period a fee notice gives (the flows' `feePaymentPeriod`; a handler may set another, art. 13).
    const variables = { ...spec.variables, feePaymentPeriod: this.config.FEE_PAYMENT_PERIOD };
    const [definition] = await this.engine.processDefinitionsByKey(c.processKey, c.tenantId);
    if (!definition) return this.engine.startByKey(c.processKey, { businessKey: c.caseNumber, tenantId: c.tenantId, variables });
    const shape = await this.shapeOf(definition.id, c.processKey);
    const byTask = new Map(shape.limitVariables);
    for (const call of shape.calls) {
      const tenantVariable = call.tenantId ? /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(call.tenantId)?.[1] : undefined;
      const tenant = tenantVariable ? spec.variables[tenantVariable] : (call.tenantId ?? c.tenantId);
      if (tenant === undefined || tenant === '') {
        throw new Error(`case ${c.caseNumber}: ${c.processKey} calls ${call.calledElement} (${call.activityId}) in the tenant named by ${call.tenantId ?? '?'}, which the case does not set: not started`);
      }
      const [called] = await this.engine.processDefinitionsByKey(call.calledElement, String(tenant));
      if (!called) throw new Error(`case ${c.caseNumber}: ${c.processKey} calls ${call.calledElement} (${call.activityId}), which tenant ${String(tenant)} has not deployed: not started`);
      const calledShape = await this.shapeOf(called.id, call.calledElement);
      const missing = calledShape.groupVariables.filter((v) => spec.variables[v] === undefined || spec.variables[v] === '');
      if (missing.length > 0) {
        throw new Error(`case ${c.caseNumber}: ${call.calledElement}, called by ${c.processKey}, offers its steps to groups over ${missing.join(', ')}, which the case does not set: not started`);
      }
      for (const [task, variable] of calledShape.limitVariables) if (!byTask.has(task)) byTask.set(task, variable);
    }
    const limits: Record<string, number> = {};
    const unmatched: string[] = [];
    for (const l of spec.stepLimits) {
      const variable = byTask.get(l.step);
      if (variable) limits[variable] = l.workingDays;
      else unmatched.push(l.step);
    }
    if (unmatched.length > 0) {
      this.logger.warn({ caseId: c.caseNumber, matter: c.matterCode, processDefinition: definition.id, steps: unmatched }, "the matter's limits for these steps match no task of the flow that reads its limit from a variable; the model's defaults apply");
    }
    return this.engine.startById(definition.id, { businessKey: c.caseNumber, variables: { ...variables, ...limits } });
  }

  private shapeOf(definitionId: string, processKey: string): Promise<DefinitionShape> {
    let known = this.shapes.get(definitionId);
    if (!known) {
      known = this.engine.processDefinitionXml(definitionId).then(async (xml) => {
        const { definitions } = await parseBpmn(xml);
        return { limitVariables: timeLimitVariables(definitions, processKey), calls: calledElements(definitions, processKey), groupVariables: groupVariablesOf(xml) };
      });
      known.catch(() => this.shapes.delete(definitionId));
      this.shapes.set(definitionId, known);
    }
    return known;
  }
}
