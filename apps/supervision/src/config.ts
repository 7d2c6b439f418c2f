import { baseConfigShape, env, loadConfig } from '@gov/service-kit';
import { z } from 'zod';

export const SupervisionConfigSchema = z.object({
  ...baseConfigShape,
  SUPERVISION_PORT: env.port(3004),
  SUPERVISION_HOST: z.string().default('127.0.0.1'),
  SUPERVISION_DB: z.string().default('supervision'),
  /** The engine, asked to confirm a step is really still open before it is marked red (red can never be undone). */
  ENGINE_URL: env.url('http://127.0.0.1:8080/engine-rest'),
  ENGINE_REST_USER: z.string().optional(),
  ENGINE_REST_PASSWORD: z.string().optional(),
  /** How often open steps are checked against their deadlines. */
  LIGHT_SCAN_INTERVAL_MS: env.int(1000, 100),
  /**
   * Early warnings (预警) to the step's officer and their section before the deadline, beside yellow: lead times in
   * hours, comma-separated (e.g. "72,24"); empty for none. Each fires once per step and lead time.
   */
  WARNING_LEAD_HOURS: z
    .string()
    .regex(/^(\d{1,4}(,\d{1,4})*)?$/, 'WARNING_LEAD_HOURS must be hours separated by commas, e.g. 72,24')
    .default('48')
    .transform((v) => (v === '' ? [] : v.split(',').map(Number))),
  /** Alert every service's poison messages from the platform dead-letter topic (a Kafka consumer of its own). */
  PLATFORM_DEAD_LETTER_ALERTS: env.bool(true),
  /** ... or once this share of its time has run, whichever comes first (100 = the window alone). */
  YELLOW_SHARE_PERCENT: env.int(80, 1).pipe(z.number().max(100)),
  /** Scan once as the service starts (what fell due while it was down fires at once). */
  LIGHT_SCAN_ON_START: env.bool(true),
  /** A step turns yellow this long before its deadline. */
  YELLOW_WINDOW_HOURS: env.int(24, 0),
  /** Red tallies (seed 001 text 3 art. 22): reds in a year that take a person out of commendations, */
  TALLY_PERSON_NO_COMMENDATION: env.int(2, 1),
  /** ... that flag a person for reassignment, */
  TALLY_PERSON_REASSIGNMENT: env.int(3, 1),
  /** ... and that take a section out of commendations. */
  TALLY_SECTION_NO_COMMENDATION: env.int(5, 1),
  /** A red step still open this many working days after its red gets a 督办 order to its section (0 = never). */
  ESCALATE_RED_AFTER_WORKING_DAYS: env.int(2, 0),
  /** Working days an automatic 督办 order gives for the response. */
  ORDER_RESPONSE_WORKING_DAYS: env.int(2, 1),
  /** Lets tests and demos move the supervision clock (POST /admin/clock/advance). Never enable in production. */
  CLOCK_CONTROL_ENABLED: env.bool(false),
  /** Alert chain heads are submitted to identity for signing this often (0 = only at start). */
  LEDGER_ANCHOR_INTERVAL_SECONDS: env.int(60, 0),
  /** on/off; default on, off under NODE_ENV=test. */
  LEDGER_ANCHORING: z.enum(['on', 'off']).optional(),
  /** The 'supervision' service client's secret at identity (anchoring); the demo secret outside production. */
  SERVICE_CLIENT_SECRET: z.string().min(8).optional(),
  // --- complaints, ratings, ingestion (wt/supstats) ---
  /** Complaints one client address may file per hour (anonymous filing is open to anyone). */
  COMPLAINTS_PER_HOUR_PER_IP: env.int(10, 1),
  /** A bad rating's rectification is due this many working days after the rating. */
  RATING_RECTIFICATION_WORKING_DAYS: env.int(5, 1),
  // --- end wt/supstats ---
  // --- round three (wt/supervision) ---
  /** A case's statutory and promised deadlines turn yellow this long before they pass (seed 001 text 3 art. 22: 24 小时). */
  CASE_YELLOW_LEAD_HOURS: env.int(24, 0),
  /** The demo cases (seed/): default on outside production, never in production. */
  DEMO_SEED: z.enum(['true', 'false', '1', '0']).optional(),
  // --- end wt/supervision ---
});
export type SupervisionConfig = Omit<z.infer<typeof SupervisionConfigSchema>, 'DEMO_SEED'> & { demoSeed: boolean };
export const SUPERVISION_CONFIG = Symbol('SUPERVISION_CONFIG');

export function loadSupervisionConfig(source: NodeJS.ProcessEnv = process.env) {
  const loaded = loadConfig('supervision', SupervisionConfigSchema, ['DB_PASSWORD', 'DB_OWNER_PASSWORD', 'ENGINE_REST_PASSWORD', 'SERVICE_CLIENT_SECRET'], source);
  if (loaded.values.CLOCK_CONTROL_ENABLED && loaded.values.NODE_ENV === 'production') {
    throw new Error('CLOCK_CONTROL_ENABLED must not be set when NODE_ENV=production');
  }
  const { DEMO_SEED, ...rest } = loaded.values;
  const on = DEMO_SEED === 'true' || DEMO_SEED === '1';
  if (on && rest.NODE_ENV === 'production') throw new Error('DEMO_SEED: demo data is never seeded in production');
  const demoSeed = DEMO_SEED === undefined ? rest.NODE_ENV !== 'production' : on;
  return { values: { ...rest, demoSeed }, redacted: { ...loaded.redacted, demoSeed } };
}
