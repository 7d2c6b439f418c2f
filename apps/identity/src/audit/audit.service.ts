import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { BatchWriter } from '@gov/auth';
import type { SecurityEventData } from '@gov/contracts';
import type { AnchorSource, LedgerVerdict, ReanchorCheck } from '@gov/ledger';
import { LOGGER, RequestContext } from '@gov/service-kit';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { AuditOutcome } from './audit-record.entity';
import { type AuditEntry, type AuditFilter, AuditRepository } from './audit.repository';

const OUTCOMES: Record<SecurityEventData['outcome'], AuditOutcome> = { refused: 'denied', failed: 'failure', succeeded: 'success' };

/** A security event (identity's own, or another service's from platform.audit.v1) as an audit entry. */
export function auditEntryOf(event: SecurityEventData): AuditEntry {
  const traceId = typeof event.details['traceId'] === 'string' ? event.details['traceId'].slice(0, 64) : null;
  return {
    actor: event.actor === null ? null : event.actor.slice(0, 128),
    actorLabel: event.actorLabel,
    action: event.action.slice(0, 64),
    target: event.target === null ? null : event.target.slice(0, 255),
    outcome: OUTCOMES[event.outcome],
    ip: event.ip,
    // service, category and the original time are in the hashed details too, so they cannot be edited unseen.
    details: { ...event.details, service: event.service, category: event.category, occurredAt: event.at },
    service: event.service,
    traceId,
  };
}

@Injectable()
export class AuditService implements OnModuleDestroy {
  // Records written off the request's path (refusals, which are cheap to provoke) are batched: a flood of junk
  // tokens is recorded in full, in a few appends, instead of one transaction per refusal.
  private readonly background: BatchWriter<AuditEntry>;
  // Set by the anchors module: the published signed heads and the re-anchor signature check.
  private trust: { anchors?: AnchorSource; reanchors?: ReanchorCheck } = {};

  constructor(
    private readonly repo: AuditRepository,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.background = new BatchWriter<AuditEntry>({
      logger,
      what: 'audit record',
      batchSize: 500,
      write: async (batch) => {
        await this.repo.appendMany(batch);
      },
    });
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.repo.append(withTrace(entry));
  }

  /** For callers that must not wait for or fail because of auditing (a 401/403 path): batched, never dropped. */
  recordInBackground(entry: AuditEntry): void {
    this.background.push(withTrace(entry));
  }

  /** Identity's own security events (the auth kit's sink). */
  recordSecurityEvent(event: SecurityEventData): void {
    this.background.push(auditEntryOf(event));
  }

  /** Other services' security events, in the consumer's transaction (its inbox row commits with them). */
  async appendSecurityEvents(events: SecurityEventData[], manager: EntityManager): Promise<void> {
    await this.repo.appendMany(events.map(auditEntryOf), manager);
  }

  /** Resolves once every background record queued so far is in the chain. */
  flush(): Promise<void> {
    return this.background.flush();
  }

  /** On shutdown, background records are written before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    await this.background.flush();
  }

  list(filter: AuditFilter) {
    return this.repo.list(filter);
  }

  useAnchors(trust: { anchors: AnchorSource; reanchors: ReanchorCheck }): void {
    this.trust = trust;
  }

  /** Walks every chain page by page (memory stays bounded) and checks it against the published signed heads. */
  verify(): Promise<LedgerVerdict> {
    return this.repo.verify(this.trust);
  }
}

/** Identity's own records carry the request's trace id, like the platform events do. */
function withTrace(entry: AuditEntry): AuditEntry {
  if (entry.traceId !== undefined) return entry;
  const traceId = RequestContext.current()?.traceId ?? null;
  return traceId ? { ...entry, traceId, details: { traceId, ...(entry.details ?? {}) } } : entry;
}
