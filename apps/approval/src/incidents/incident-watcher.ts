import { type EventData, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER, Periodic, PeriodicService } from '@gov/service-kit';
import { CamundaClient, type Incident } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { Clock } from '../worklist/clock';
import { EngineIncidentsRepository, type IncidentRow } from './engine-incidents.repository';

const PAGE = 200;
/** At most this many open incidents are read per round (the rest on later rounds, as the first ones are resolved). */
const MAX_OPEN_PER_ROUND = 5_000;
const MESSAGE_MAX = 1000;

export interface IncidentRound {
  raised: number;
  resolved: number;
}

/**
 * Watches the engine's incidents (issue 9 §5: "a failure raises an incident, which supervision sees"). A round, at
 * start and every `INCIDENT_POLL_INTERVAL_MS`: (1) pages through the engine's open incidents (GET /incident, oldest
 * first); each one this database has not recorded is looked up (its process instance's business key, the case
 * number, from the history) and then recorded with its `gov.approval.incident.raised` in one short transaction
 * (the primary key on the incident id makes it once per database, whoever else watches the same engine);
 * (2) each recorded incident still open here but no longer in the engine's list is checked in the engine's history
 * (GET /history/incident) and, when it is no longer open there, marked resolved with its
 * `gov.approval.incident.resolved`. Every engine call is made outside any transaction.
 */
@Injectable()
export class IncidentWatcher extends PeriodicService {
  protected readonly periodic: Periodic;
  private readonly processKeys?: string[];

  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ds: DataSource,
    private readonly engine: CamundaClient,
    private readonly incidents: EngineIncidentsRepository,
    private readonly clock: Clock,
  ) {
    super();
    const keys = (config.INCIDENT_PROCESS_KEYS ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0);
    this.processKeys = keys.length > 0 ? keys : undefined;
    this.periodic = new Periodic(config.INCIDENT_POLL_INTERVAL_MS, () => this.pollOnce(), (e) => logger.warn({ err: e }, 'watching engine incidents failed; will retry'), { atStart: true });
  }

  protected override get enabled(): boolean {
    return this.config.INCIDENT_WATCH;
  }

  /** One round (also called by tests): how many incidents it reported raised and resolved. */
  async pollOnce(): Promise<IncidentRound> {
    const open = new Map<string, Incident>();
    let complete = false;
    for (let first = 0; first < MAX_OPEN_PER_ROUND && !this.periodic.stopping; first += PAGE) {
      const page = await this.engine.incidents({ processDefinitionKeyIn: this.processKeys }, { firstResult: first, maxResults: PAGE });
      for (const i of page) open.set(i.id, i);
      if (page.length < PAGE) {
        complete = true;
        break;
      }
    }
    const known = await this.incidents.known(this.ds, [...open.keys()]);
    let raised = 0;
    for (const incident of open.values()) {
      if (known.has(incident.id) || this.periodic.stopping) continue;
      if (await this.raise(incident)) raised += 1;
    }
    let resolved = 0;
    // A list cut short (or a page skipped while the list changed) is no evidence of resolution: the history decides.
    if (complete) {
      for (const row of await this.incidents.open(this.ds, 500)) {
        if (open.has(row.incidentId) || this.periodic.stopping) continue;
        if (await this.settle(row)) resolved += 1;
      }
    }
    return { raised, resolved };
  }

  private async raise(i: Incident): Promise<boolean> {
    const instance = i.processInstanceId ? (await this.engine.historicProcessInstances({ processInstanceId: i.processInstanceId }))[0] : undefined;
    const row: IncidentRow = {
      incidentId: i.id,
      incidentType: i.incidentType,
      activityId: i.activityId ?? null,
      processInstanceId: i.processInstanceId ?? null,
      processDefinitionId: i.processDefinitionId ?? instance?.processDefinitionId ?? null,
      caseNumber: instance?.businessKey ?? null,
      tenantId: i.tenantId ?? instance?.tenantId ?? null,
      message: i.incidentMessage === null || i.incidentMessage === undefined ? null : i.incidentMessage.slice(0, MESSAGE_MAX),
      incidentAt: new Date(i.incidentTimestamp),
      detectedAt: this.clock.now(),
    };
    const inserted = await this.ds.transaction(async (m) => {
      if (!(await this.incidents.insert(m, row))) return false;
      await enqueueEvent(m, makeEvent({ type: 'gov.approval.incident.raised', source: '/approval', subject: subjectOf(row), tenantId: row.tenantId ?? undefined, data: { ...dataOf(row), detectedAt: row.detectedAt.toISOString() } }));
      return true;
    });
    if (inserted) this.logger.warn({ caseId: row.caseNumber, incidentId: row.incidentId, incidentType: row.incidentType, activityId: row.activityId }, 'engine incident reported');
    return inserted;
  }

  private async settle(row: IncidentRow): Promise<boolean> {
    const [history] = await this.engine.historicIncidents({ incidentId: row.incidentId });
    if (history?.open) return false;
    // Without a history entry (a history level that keeps no incidents, or cleaned up) it is gone: resolved now.
    const resolution = history?.deleted ? 'deleted' : 'resolved';
    const resolvedAt = history?.endTime ? new Date(history.endTime) : this.clock.now();
    const done = await this.ds.transaction(async (m) => {
      const r = await this.incidents.resolve(m, row.incidentId, resolution, resolvedAt);
      if (!r) return false;
      await enqueueEvent(m, makeEvent({ type: 'gov.approval.incident.resolved', source: '/approval', subject: subjectOf(r), tenantId: r.tenantId ?? undefined, data: { ...dataOf(r), resolution, resolvedAt: resolvedAt.toISOString() } }));
      return true;
    });
    if (done) this.logger.info({ caseId: row.caseNumber, incidentId: row.incidentId, resolution }, 'engine incident no longer open');
    return done;
  }
}

const subjectOf = (r: IncidentRow): string => r.caseNumber ?? `incident:${r.incidentId}`;

function dataOf(r: IncidentRow): Omit<EventData<'gov.approval.incident.raised'>, 'detectedAt'> {
  return {
    incidentId: r.incidentId,
    incidentType: r.incidentType,
    activityId: r.activityId,
    processInstanceId: r.processInstanceId,
    processDefinitionId: r.processDefinitionId,
    caseNumber: r.caseNumber,
    tenantId: r.tenantId,
    message: r.message,
    incidentAt: r.incidentAt.toISOString(),
  };
}
