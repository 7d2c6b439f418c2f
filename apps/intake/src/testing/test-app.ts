import 'reflect-metadata';
import { demoLogin } from '@gov/auth/testing';
import type { CaseDecidedData } from '@gov/contracts';
import { type HttpInit, type HttpResult, STACK, type TestService, httpRequest, startTestService } from '@gov/testing';
import { IntakeModule } from '../app.module';
import type { Clock } from '../clock/clock';
import { type IntakeConfig, loadIntakeConfig } from '../config';
import { IntakeErrors } from '../errors';
import { INTAKE_MIGRATIONS } from '../migrations';
import { DEMO_MATTERS, type DemoMatter } from '../seed/demo-data';
import { SeedRepository } from '../seed/seed.repository';

export type TestIntake = TestService<IntakeConfig>;

/**
 * A throwaway intake for a test file through the shared harness: a fresh database, the committed migrations, the demo
 * seed (unless turned off) and the app on an ephemeral port. Tokens come from the running identity. The outbox relay
 * is off: the running stack's approval must not start cases for a test's applications (tests read the outbox table).
 */
/** `reuseDatabase`: start a second replica on another test intake's database. */
export function startTestIntake(env: Record<string, string> = {}, clock?: Clock, options: { reuseDatabase?: string } = {}): Promise<TestIntake> {
  return startTestService({
    service: 'intake',
    loadConfig: loadIntakeConfig,
    databaseKey: 'INTAKE_DB',
    migrations: INTAKE_MIGRATIONS,
    module: (config, logger) => IntakeModule.forRoot(config, logger, clock),
    env: { INTAKE_PORT: '3002', INTAKE_RELAY_ENABLED: 'false', INTAKE_CONSUMERS: 'false', INTAKE_SWEEP_INTERVAL_MS: '0', ...env },
    ...(options.reuseDatabase ? { reuseDatabase: options.reuseDatabase } : {}),
  });
}

export function http<T = Record<string, unknown>>(url: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  return httpRequest<T>(url, init);
}

export type { HttpResult } from '@gov/testing';

/**
 * An access token of a demo user (identity's seed, apps/identity/README.md) from the running identity. Other test
 * runs share that identity and its per-account login limit, so a 429 is waited out (as identity says) a few times.
 */
export async function tokenOf(username: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await demoLogin(STACK.identity, username)).access_token;
    } catch (e) {
      const wait = /HTTP 429 .*try again in (\d+) s/.exec(e instanceof Error ? e.message : '');
      if (!wait || attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, (Number(wait[1]) + 1) * 1000));
    }
  }
}

/** Demo users and what they are to intake. */
export const USERS = {
  zhangsan: 'zhangsan',
  lisi: 'lisi',
  acme: 'acme',
  /** Window clerk of the city market bureau, which handles the demo matter (through its registration section). */
  clerk: 'clerk.market',
  /** Window clerk of 东城区's market bureau: another organisation. */
  otherClerk: 'clerk.dongcheng',
  /** An officer without the window clerk role. */
  handler: 'handler.housing',
} as const;

/** Resident IDs and credit codes of the demo applicants. */
export const APPLICANT_IDS = { zhangsan: '449901198503120015', lisi: '449902199007230021', acme: '91449901MA0000001H' } as const;

export const DEMO_MATTER = 'DEMO-SCJG-001';

export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    matterCode: DEMO_MATTER,
    applicant: { kind: 'person', id: APPLICANT_IDS.zhangsan, name: '张三' },
    form: { businessPremises: '示范市东城区兴中道1号', businessScope: '热食类食品制售' },
    ...overrides,
  };
}

/** Submits an application online with `token` (201 expected): its id and case number. */
export async function submitApplication(
  t: TestIntake,
  token: string,
  body: Record<string, unknown> = applicationBody(),
): Promise<{ applicationId: string; caseNumber: string }> {
  const res = await http<{ applicationId: string; caseNumber: string }>(`${t.url}/applications`, { token, body });
  if (res.status !== 201) throw new Error(`POST /applications answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

let decisionSeq = 0;

/** What approval's `gov.approval.case.decided` carries for a test case: approved, with a unique 许 document number. */
export function decidedData(caseNumber: string, over: Partial<CaseDecidedData> = {}): CaseDecidedData {
  return {
    caseNumber,
    processInstanceId: `pi-${caseNumber}`,
    decision: 'approved',
    documentNumber: `449900-TEST-许〔2026〕${String(++decisionSeq).padStart(6, '0')}-${caseNumber}号`,
    decidedAt: new Date().toISOString(),
    ...over,
  };
}

export interface Refusal {
  error: string;
  message: string;
  details?: { field?: string; fields?: Array<{ field: string }> };
}

/** The fields a refusal names: `details.field` and each of `details.fields` (the kit's shape for every 400). */
export function fieldsNamed(body: Refusal): string[] {
  return [body.details?.field, ...(body.details?.fields ?? []).map((f) => f.field)].filter((f): f is string => typeof f === 'string');
}

/**
 * The kit's request edge refuses NUL and lone surrogates in any string, key or parameter before validation runs
 * (InvalidText naming the field); intake's own checks behind it refuse them too. A test of such input accepts either
 * layer: 400, the field named, nothing stored.
 */
export const KIT_TEXT_CODE = IntakeErrors.code.InvalidText;

/**
 * Puts a matter in force in a test intake, as the demo seed does (a published version in the catalogue): the demo
 * food licence's elements with `elements` over them. For matters of other departments, levels, online classes,
 * secret flags, limits and materials.
 */
export async function publishTestMatter(t: TestIntake, code: string, tenantId: string, elements: Partial<DemoMatter['elements']>): Promise<void> {
  const base = DEMO_MATTERS.find((m) => m.code === DEMO_MATTER);
  if (!base) throw new Error(`${DEMO_MATTER} is not in the demo catalogue`);
  await t.app.get(SeedRepository, { strict: false }).putInForce({ code, tenantId, elements: { ...base.elements, ...elements } });
}
