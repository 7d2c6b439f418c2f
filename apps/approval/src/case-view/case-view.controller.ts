import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseCaseNumberParam } from '@gov/service-kit';
import { type ActivityInstance, CamundaAdminClient, CamundaError, type HistoricActivity } from '@gov/workflow';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { caseScope } from '../cases/case-scope';
import { CasesRepository } from '../cases/cases.repository';
import { DecisionsRepository } from '../decisions/decisions.repository';
import { onEngine, translateEngineError } from '../engine/engine-errors';
import { ApprovalErrors } from '../errors';
import { CaseActionsRepository } from '../task-actions/case-actions.repository';
import { WORKLIST_ENGINE } from '../worklist/open-steps.projector';
import { OFFICERS } from '../worklist/officers';
import { OpinionsRepository } from '../worklist/opinions.repository';
import { CaseViewDto, type CaseViewHistoryDto } from './case-view.dto';

function historyOf(h: HistoricActivity): CaseViewHistoryDto {
  return {
    activityId: h.activityId,
    activityName: h.activityName ?? null,
    activityType: h.activityType,
    assignee: h.assignee ?? null,
    startTime: h.startTime ?? '',
    endTime: h.endTime,
    canceled: h.canceled ?? false,
  };
}

/** The leaf activities of an activity instance tree (where the case is now). */
function activeLeaves(tree: ActivityInstance): string[] {
  if (tree.childActivityInstances.length === 0) return [tree.activityId];
  return tree.childActivityInstances.flatMap(activeLeaves);
}

@ApiTags('cases')
@Controller('cases')
export class CaseViewController {
  constructor(
    private readonly cases: CasesRepository,
    private readonly opinions: OpinionsRepository,
    private readonly actions: CaseActionsRepository,
    private readonly decisions: DecisionsRepository,
    private readonly ds: DataSource,
    @Inject(WORKLIST_ENGINE) private readonly engine: CamundaAdminClient,
  ) {}

  @Get(':caseNumber/view')
  @Authenticated(...OFFICERS, Role.Supervisor)
  @ApiOperation({
    summary: "The officer's case view: BPMN diagram with the current position, opinions, case actions, suspensions, documents, history",
    description:
      "Officers of the handling organisation (and, for a 上报件, of the higher-level department it is reported to) and supervisors; a case of another organisation is 404 CaseNotFound (its existence is not disclosed). The flows the case called (the city's review) are in calledInstances.",
  })
  @ApiParam({ name: 'caseNumber', example: '449900-20261122-000001' })
  @ApiOkResponse({ type: CaseViewDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound', 'EngineUnavailable', 'EngineRefused', 'EngineFailed')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText')
  async view(@Param('caseNumber', ParseCaseNumberParam) caseNumber: string, @CurrentPrincipal() principal: Principal): Promise<CaseViewDto> {
    const c = await this.cases.find(caseNumber);
    if (!c || !OrgScope.canActOn(principal, caseScope(c))) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber}.`);
    const pid = c.processInstanceId;
    const [instance] = pid ? await onEngine(this.engine.historicProcessInstances({ processInstanceId: pid })) : [];
    const definitionId = instance?.processDefinitionId ?? null;
    const [bpmnXml, active, history] = await Promise.all([
      definitionId ? onEngine(this.engine.processDefinitionXml(definitionId)) : Promise.resolve(null),
      pid && instance && !instance.endTime ? this.activeActivities(pid) : Promise.resolve([]),
      pid ? onEngine(this.engine.historicActivities(pid)) : Promise.resolve([]),
    ]);
    const called = pid ? await onEngine(this.engine.historicProcessInstances({ superProcessInstanceId: pid })) : [];
    const calledInstances = await Promise.all(
      called
        .sort((a, b) => a.startTime.localeCompare(b.startTime))
        .map(async (child) => {
          const [xml, childActive, childHistory] = await Promise.all([
            child.processDefinitionId ? onEngine(this.engine.processDefinitionXml(child.processDefinitionId)) : Promise.resolve(null),
            child.endTime ? Promise.resolve([]) : this.activeActivities(child.id),
            onEngine(this.engine.historicActivities(child.id)),
          ]);
          return {
            processInstanceId: child.id,
            processDefinitionId: child.processDefinitionId ?? null,
            processDefinitionKey: child.processDefinitionKey,
            tenantId: child.tenantId,
            bpmnXml: xml,
            activeActivityIds: childActive,
            history: childHistory.map(historyOf),
          };
        }),
    );
    const [opinions, actions, suspensions, documents] = await Promise.all([
      this.opinions.forCase(caseNumber),
      this.actions.history(caseNumber),
      this.actions.suspensions(caseNumber),
      this.decisions.allForCase(this.ds.manager, caseNumber),
    ]);
    return {
      caseNumber,
      status: c.status,
      matterCode: c.matterCode,
      matterName: c.matterName,
      departmentCode: c.departmentCode,
      reportsToDepartmentCode: c.reportsToDepartmentCode,
      processInstanceId: pid,
      processDefinitionId: definitionId,
      bpmnXml,
      activeActivityIds: active,
      opinions: opinions.map((o) => ({
        taskId: o.taskId,
        step: o.taskDefinitionKey,
        stepName: o.stepName,
        officerId: o.officerId,
        officerLabel: o.officerLabel,
        outcome: o.outcome,
        opinion: o.opinion,
        createdAt: o.createdAt.toISOString(),
        hash: o.hash,
      })),
      actions,
      suspensions: suspensions.map((s) => ({
        id: s.id,
        reason: s.reason,
        expectedDays: s.expectedDays,
        suspendedBy: s.suspendedBy,
        suspendedAt: s.suspendedAt.toISOString(),
        resumedBy: s.resumedBy,
        resumedAt: s.resumedAt?.toISOString() ?? null,
      })),
      documents: documents.map((d) => ({ kind: 'decision' as const, decision: d.decision, documentNumber: d.documentNumber, revokesDocumentNumber: d.revokesDocumentNumber })),
      history: history.map(historyOf),
      calledInstances,
    };
  }

  /** The running instance's current activities; none when it ended between the two reads. */
  private async activeActivities(pid: string): Promise<string[]> {
    try {
      return [...new Set(activeLeaves(await this.engine.activityInstances(pid)))];
    } catch (e) {
      if (e instanceof CamundaError && !e.isUnavailable && e.status === 404) return [];
      throw translateEngineError(e);
    }
  }
}
