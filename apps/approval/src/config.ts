import { WORKER_TOPICS } from '@gov/contracts';
import { baseConfigShape, env, isBase64Key32, loadConfig } from '@gov/service-kit';
import { z } from 'zod';

/** The development key-encryption key of officers' signing keys (refused in production). */
export const DEV_SIGNING_KEY_KEK = Buffer.from('dev-only-approval-signing-kek-32').toString('base64');

export const ApprovalConfigSchema = z.object({
  ...baseConfigShape,
  APPROVAL_PORT: env.port(3003),
  APPROVAL_HOST: z.string().default('127.0.0.1'),
  APPROVAL_DB: z.string().default('approval'),
  ENGINE_URL: env.url('http://127.0.0.1:8080/engine-rest'),
  /** The engine's runtime user (cases, tasks, workers, history); with authorization checks on it cannot deploy. */
  ENGINE_REST_USER: z.string().optional(),
  ENGINE_REST_PASSWORD: z.string().optional(),
  /**
   * The engine user of the analysts' deploy pipeline alone (deployments and migrations; apps/engine
   * ServiceUsersPlugin). Unset: the runtime user's credentials (the local profile, where the engine checks nothing).
   */
  ENGINE_DEPLOY_USER: z.string().optional(),
  ENGINE_DEPLOY_PASSWORD: z.string().optional(),
  /** The engine's database, whose outbox table this service relays to Kafka. */
  ENGINE_DB: z.string().default('engine'),
  ENGINE_DB_USER: z.string().default('gov_app'),
  ENGINE_DB_PASSWORD: z.string().default(''),
  /** Relay the engine's step-event outbox (one approval deployment does; tests that share an engine turn it off). */
  ENGINE_OUTBOX_RELAY: env.bool(true),
  /** Run the Kafka consumers (start-case); tests that must not take the stack's events turn them off. */
  KAFKA_CONSUMERS: env.bool(true),
  /**
   * Run the worklist read model's consumer (`approval.worklist`: step events into `open_steps`), also where
   * KAFKA_CONSUMERS is off: it takes no work from anyone (its own group, its own database).
   */
  WORKLIST_CONSUMER: env.bool(true),
  /** Reconcile the worklist read model with the engine's task list at start and every WORKLIST_RECONCILE_INTERVAL_MS. */
  WORKLIST_RECONCILE: env.bool(true),
  WORKLIST_RECONCILE_INTERVAL_MS: env.int(900_000, 0),
  /** A step's light turns yellow this many hours before its deadline (seed 001 text 3 art. 22; issue 10). */
  WORKLIST_YELLOW_HOURS: env.int(24, 0),
  WORKER_ID: z.string().default(`approval-${process.pid}`),
  WORKER_MAX_TASKS: env.int(10, 1),
  /** Run the external-task workers. */
  WORKERS_ENABLED: env.bool(true),
  /** The external-task topic of the decision worker (a test flow deploys its own). */
  ISSUE_DECISION_TOPIC: z.string().default(WORKER_TOPICS.issueDecision),
  /** The external-task topic of the payment-request worker (a test flow deploys its own). */
  REQUEST_PAYMENT_TOPIC: z.string().default(WORKER_TOPICS.requestPayment),
  /**
   * How long a worker holds an external task it fetched (ms): a worker that dies leaves its tasks to the others (or to
   * itself after a restart) when this runs out.
   */
  WORKER_LOCK_MS: env.int(30_000, 1_000),
  /**
   * The period a 缴费通知书 gives to pay (ISO-8601 duration, the flows' `feePaymentPeriod`; seed 001 text 3 art. 19 (二),
   * 20): unpaid by its end the case is refused. A handler's determination may set another in days.
   */
  FEE_PAYMENT_PERIOD: z
    .string()
    .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO-8601 duration in days, hours, minutes, seconds (e.g. P15D, PT5S)')
    .default('P15D'),
  /** The most a fee whose catalogue amount varies may be determined at, in fen (an absurd amount is refused). */
  FEE_MAX_FEN: env.int(100_000_000, 1),
  /** How long a confirmed payment may wait for its hand-over to the engine before the reconciler retries it. */
  PAYMENT_CORRELATE_AFTER_MS: env.int(5_000, 0),
  /** Long-poll duration of fetchAndLock: the engine answers as soon as a task appears. */
  WORKER_LONG_POLL_MS: env.int(25_000, 0),
  /** How often the reconciler looks for pending completions left behind (it also runs at start). */
  RECONCILE_INTERVAL_MS: env.int(15_000, 100),
  /** A pending completion younger than this is left to the request that made it. */
  RECONCILE_AFTER_MS: env.int(10_000, 0),
  /** Watch the engine's incidents (GET /incident) and report each once (`gov.approval.incident.raised` / `.resolved`). */
  INCIDENT_WATCH: env.bool(true),
  /** How often the incident watcher looks (it also looks at start; 0 = only at start). */
  INCIDENT_POLL_INTERVAL_MS: env.int(30_000, 0),
  /** Comma-separated process definition keys whose incidents are watched; empty = every incident of the engine. */
  INCIDENT_PROCESS_KEYS: z.string().optional(),
  /** Test-only fault hook: the process kills itself (SIGKILL) right after its n-th engine completion. Ignored in production. */
  APPROVAL_FAULT_KILL_AFTER_ENGINE_COMPLETE: env.int(0, 0),
  /** Test-only fault hook: the process kills itself (SIGKILL) right after recording its n-th pending completion, before the engine is called. Ignored in production. */
  APPROVAL_FAULT_KILL_AFTER_RECORD: env.int(0, 0),
  /** Opinion chain heads are submitted to identity for signing this often (0 = only at start). */
  LEDGER_ANCHOR_INTERVAL_SECONDS: env.int(60, 0),
  /** on/off; default on, off under NODE_ENV=test. */
  LEDGER_ANCHORING: z.enum(['on', 'off']).optional(),
  /** The 'approval' service client's secret at identity (anchoring); the demo secret outside production. */
  SERVICE_CLIENT_SECRET: z.string().min(8).optional(),
  /**
   * Key-encryption key of the officers' opinion-signing keys held here (AES-256-GCM): base64 of 32 bytes. Required in
   * production; a fixed development key otherwise. Losing it means re-enrolment, not lost opinions.
   */
  SIGNING_KEY_KEK: z.string().refine(isBase64Key32, 'must be base64 of 32 bytes (openssl rand -base64 32)').optional(),
  /** How long a certificate status answer from identity is reused before the next completion asks again. */
  SIGNING_CERT_STATUS_CACHE_MS: env.int(30_000, 0),
}).superRefine((c, ctx) => {
  if (c.NODE_ENV === 'production' && !c.SIGNING_KEY_KEK) ctx.addIssue({ code: 'custom', path: ['SIGNING_KEY_KEK'], message: 'required in production' });
  if (c.NODE_ENV === 'production' && c.SIGNING_KEY_KEK === DEV_SIGNING_KEY_KEK) {
    ctx.addIssue({ code: 'custom', path: ['SIGNING_KEY_KEK'], message: 'the development key must not be used in production' });
  }
});
export type ApprovalConfig = z.infer<typeof ApprovalConfigSchema>;
export const APPROVAL_CONFIG = Symbol('APPROVAL_CONFIG');

export function loadApprovalConfig(source: NodeJS.ProcessEnv = process.env) {
  return loadConfig('approval', ApprovalConfigSchema, ['DB_PASSWORD', 'DB_OWNER_PASSWORD', 'ENGINE_REST_PASSWORD', 'ENGINE_DEPLOY_PASSWORD', 'ENGINE_DB_PASSWORD', 'SERVICE_CLIENT_SECRET', 'SIGNING_KEY_KEK'], source);
}
