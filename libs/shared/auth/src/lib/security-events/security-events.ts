import { Inject, Injectable, Optional } from '@nestjs/common';
import type { SecurityEventData } from '@gov/contracts';
import { RequestContext, SERVICE_NAME } from '@gov/service-kit';
import type { Request } from 'express';
import type { Principal } from '../principal';

export const SECURITY_EVENT_SINK = Symbol('SECURITY_EVENT_SINK');

/** Where a service's security events go: its outbox (every service) or, in identity, its audit trail. Never throws. */
export interface SecurityEventSink {
  record(event: SecurityEventData): void;
  /** Resolves once everything recorded so far is stored (tests, shutdown). */
  flush(): Promise<void>;
}

/** A sink that keeps nothing (services without a database, unit tests). */
export class DiscardingSecurityEventSink implements SecurityEventSink {
  record(): void {
    // nothing
  }
  async flush(): Promise<void> {
    // nothing
  }
}

type Category = SecurityEventData['category'];

export interface SecurityEventInput {
  category: Category;
  action: string;
  outcome: SecurityEventData['outcome'];
  actor?: string | null;
  actorLabel?: string | null;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** The limits of the contract's fields; longer values are cut rather than refused. */
const MAX = { action: 100, actor: 200, actorLabel: 200, target: 500, ip: 64 } as const;

/**
 * Records a service's security events for the platform audit trail: authentication failures, authorisation
 * refusals, administrative changes and exports of personal data. Each event carries the request's trace id
 * (`details.traceId`) and goes to the service's sink off the request's critical path.
 */
@Injectable()
export class SecurityEvents {
  constructor(
    @Inject(SECURITY_EVENT_SINK) private readonly sink: SecurityEventSink,
    @Optional() @Inject(SERVICE_NAME) private readonly service: string = 'unknown',
  ) {}

  record(input: SecurityEventInput): void {
    const traceId = RequestContext.current()?.traceId;
    const event: SecurityEventData = {
      service: this.service,
      category: input.category,
      action: clip(input.action, MAX.action) ?? 'unknown',
      outcome: input.outcome,
      actor: clip(input.actor, MAX.actor),
      actorLabel: clip(input.actorLabel, MAX.actorLabel),
      target: clip(input.target, MAX.target),
      ip: clip(input.ip, MAX.ip),
      details: wellFormed({ ...(traceId ? { traceId } : {}), ...(input.details ?? {}) }) as Record<string, unknown>,
      at: new Date().toISOString(),
    };
    try {
      this.sink.record(event);
    } catch {
      // A failing sink must not turn the response into a 500; sinks log their own failures.
    }
  }

  /** A 401 or 403 answered to a request (by the guard, or thrown by a handler's object-level check). */
  refusal(req: Request & { principal?: Principal }, refusal: { status: number; code: string; reason: string }): void {
    this.record({
      category: refusal.status === 401 ? 'authentication-failure' : 'authorisation-refusal',
      action: 'authz.denied',
      outcome: 'refused',
      actor: req.principal?.actor?.subject ?? req.principal?.subject ?? null,
      actorLabel: req.principal?.name ?? null,
      target: req.path,
      ip: req.ip ?? null,
      details: { code: refusal.code, status: refusal.status, method: req.method, reason: refusal.reason },
    });
  }

  /** An administrative change that succeeded (a role granted, a matter published, a certificate revoked). */
  administrativeChange(p: Principal, action: string, target: string | null, details: Record<string, unknown> = {}, ip?: string): void {
    this.record({ category: 'administrative-change', action, outcome: 'succeeded', actor: p.actor?.subject ?? p.subject, actorLabel: p.name, target, ip, details });
  }

  /**
   * Personal data left the service in bulk (a list of users or applicants, an export). Give the number of
   * records and what kind of data; never the data itself.
   */
  personalDataExport(p: Principal, action: string, target: string | null, details: { records: number; fields?: string[] } & Record<string, unknown>, ip?: string): void {
    this.record({ category: 'personal-data-export', action, outcome: 'succeeded', actor: p.actor?.subject ?? p.subject, actorLabel: p.name, target, ip, details });
  }

  /** Resolves once the events recorded so far are stored. */
  flush(): Promise<void> {
    return this.sink.flush();
  }
}

function clip(value: string | null | undefined, max: number): string | null {
  if (value === undefined || value === null) return null;
  const s = wellFormedString(value);
  return s.length > max ? s.slice(0, max) : s;
}

/**
 * Lone surrogates and NUL cannot be stored in PostgreSQL text or jsonb: shown as their escapes, so what is
 * stored (and hashed into the audit chain) is exactly what is read back.
 */
function wellFormedString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function wellFormed(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return wellFormedString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => wellFormed(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [wellFormedString(k), wellFormed(v, depth + 1)]));
}
