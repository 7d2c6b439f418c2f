import type { WorkingCalendar } from '@gov/calendar';
import type { EventType } from '@gov/contracts';
import type { AnyEventOf } from '@gov/messaging';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/cases.repository';
import type { StepRow } from '../steps/steps.repository';

/** One event supervision saw about a case (`case_facts`). */
export interface CaseFact {
  eventId: string;
  type: EventType;
  data: Record<string, unknown>;
  at: Date;
  /** The event's source (`/supervision/ingestion/<system>` for a department's own system); null before round three. */
  source?: string | null;
}

/** What a rule is given: the event, the case's history (this event included), its clock and steps, and the bureau's parameters. */
export interface RuleContext<P> {
  event: AnyEventOf<EventType>;
  caseNumber: string;
  facts: readonly CaseFact[];
  kase: CaseRow | undefined;
  steps: readonly StepRow[];
  params: P;
  calendar: WorkingCalendar;
  manager: EntityManager;
}

/** An anomaly a rule found: raised once per `key` (per rule), with its evidence. */
export interface Finding {
  key: string;
  stepId?: string | null;
  officer?: string | null;
  orgCode?: string | null;
  evidence: Record<string, unknown>;
}

/**
 * An anomaly rule (异常预警, issue 10 §3): named, versioned, configurable per bureau (`rule_settings`), and tested
 * with one positive and one negative case. `evaluate` is pure over its context.
 */
export interface AnomalyRule<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  version: number;
  /** What it detects, and the seed article it enforces. */
  description: string;
  triggers: readonly EventType[];
  defaults: P;
  evaluate(ctx: RuleContext<P>): Finding[];
}

/** A deadline a `DeadlineRule` starts watching: its anomaly is raised once if nothing meets it by `dueAt`. */
export interface Watch {
  /** Unique within the rule and case; `meet` names it to close the watch. */
  key: string;
  dueAt: Date;
  orgCode?: string | null;
  evidence: Record<string, unknown>;
}

/**
 * A deadline rule (round three): the anomaly is an action that did not come by a deadline. `start` (on its `starts`
 * events) opens watches, `meet` (on its `meets` events) closes them by key; the time scan raises each watch still
 * open at its due time, once (the durable scheduler: `rule_deadlines` with a partial index over the open ones).
 * Named, versioned, configurable per bureau (`rule_settings`) and pure over its context like `AnomalyRule`.
 */
export interface DeadlineRule<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  version: number;
  description: string;
  starts: readonly EventType[];
  meets: readonly EventType[];
  defaults: P;
  start(ctx: RuleContext<P>): Watch[];
  meet(ctx: RuleContext<P>): string[];
}
