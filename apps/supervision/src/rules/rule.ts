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
