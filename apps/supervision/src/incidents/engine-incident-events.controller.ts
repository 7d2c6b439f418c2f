import { CaseNumber } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { engineIncident, incidentEvidence, incidentKey } from '../rules/rules';
import { RulesService } from '../rules/rules.service';
import { STEPS_CONSUMER } from '../steps/step-events.controller';

const caseOf = (businessKey: string | null): string | null => (businessKey !== null && CaseNumber.safeParse(businessKey).success ? businessKey : null);

/**
 * Engine incidents approval reports (issue 9 §5): each is an anomaly (rule `engine-incident`) to the case's
 * department, once per incident id (the stream's dedupe key: several approvals watching one engine report the same
 * incident, each once), closed when the incident is resolved. An incident of a process whose business key is no case
 * number is raised platform-wide (the office's). Same consumer group as the other case events (`approval.case.v1`).
 */
@Controller()
export class EngineIncidentEventsController {
  constructor(private readonly rules: RulesService) {}

  @OnEvent('gov.approval.incident.raised', { group: STEPS_CONSUMER })
  async raised(event: EventOf<'gov.approval.incident.raised'>, ctx: InboxContext): Promise<void> {
    const caseNumber = caseOf(event.data.caseNumber);
    if (caseNumber) {
      await this.rules.evaluate(ctx.manager, caseNumber, event);
      return;
    }
    await this.rules.raiseWithoutCase(ctx.manager, engineIncident, { key: incidentKey(event.data.incidentId), evidence: { ...incidentEvidence(event.data), businessKey: event.data.caseNumber } }, { type: event.type, id: event.id });
  }

  @OnEvent('gov.approval.incident.resolved', { group: STEPS_CONSUMER })
  async resolved(event: EventOf<'gov.approval.incident.resolved'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.rules.close(ctx.manager, engineIncident, caseOf(d.caseNumber), incidentKey(d.incidentId), { incidentId: d.incidentId, resolution: d.resolution, resolvedAt: d.resolvedAt, activityId: d.activityId, triggeredBy: { type: event.type, id: event.id } });
  }
}
