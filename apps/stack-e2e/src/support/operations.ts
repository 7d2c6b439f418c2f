import { creditCodeCheckChar } from '@gov/contracts';
import type { Operation, Parameter, Schema } from './openapi';

// What the hostile suites know about the operations beyond their OpenAPI documents: who may call them (the
// documents only say "bearer"), and a well-formed request to start from (several DTOs carry no schema properties).
// An operation missing here is still covered: its caller is found by probing, its body is built from its schema.

export const DEMO = {
  officer: 'handler.market',
  applicant: 'zhangsan',
  sysadmin: 'admin',
  supervisor: 'supervisor',
  chief: 'chief.market',
  leader: 'leader.market',
  clerk: 'clerk.market',
} as const;

/** Probing order for an operation that is not in the table. */
export const PROBE_ORDER = [DEMO.officer, DEMO.applicant, DEMO.sysadmin] as const;

function orgCode(division: string, n: number): string {
  const first17 = `11${division}${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

export const ORGS = {
  city: orgCode('449900', 1),
  market: orgCode('449900', 11),
  marketRegistry: orgCode('449900', 111),
  resourcesLand: orgCode('449900', 121),
  /** Well-formed (valid check character) but not an organisation of the demo seed. */
  unknown: orgCode('449900', 999),
};

export interface Caller {
  /** A demo user allowed to call the operation, or 'public'. */
  as: string;
  /** A demo user authenticated but of a role the operation refuses; absent when any token will do. */
  wrongRole?: string;
}

/** Keyed by "METHOD /path" (the OpenAPI template); the service is implied by the path. */
export const CALLERS: Record<string, Caller> = {
  // identity
  'GET /audit': { as: DEMO.supervisor, wrongRole: DEMO.officer },
  'GET /audit/verify': { as: DEMO.supervisor, wrongRole: DEMO.officer },
  'GET /keys': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'POST /keys/rotate': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'GET /organisations': { as: DEMO.officer },
  'POST /organisations': { as: DEMO.sysadmin, wrongRole: DEMO.officer },
  'GET /organisations/{code}': { as: DEMO.officer },
  'GET /organisations/{code}/matter-delegations': { as: DEMO.officer },
  'POST /organisations/{code}/matter-delegations': { as: DEMO.sysadmin, wrongRole: DEMO.officer },
  'GET /users/me': { as: DEMO.officer },
  'GET /users': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'GET /users/{id}': { as: DEMO.sysadmin, wrongRole: DEMO.officer },
  'POST /users/officers': { as: DEMO.sysadmin, wrongRole: DEMO.leader },
  'POST /applicants/register': { as: 'public' },
  'POST /users/{id}/roles': { as: DEMO.sysadmin, wrongRole: DEMO.leader },
  'DELETE /users/{id}/roles': { as: DEMO.sysadmin, wrongRole: DEMO.leader },
  'POST /users/{id}/unlock': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'POST /delegations': { as: DEMO.chief, wrongRole: DEMO.applicant },
  'GET /delegations': { as: DEMO.chief, wrongRole: DEMO.applicant },
  'DELETE /delegations/{id}': { as: DEMO.chief, wrongRole: DEMO.applicant },
  'POST /auth/login': { as: 'public' },
  'POST /auth/refresh': { as: 'public' },
  'POST /auth/logout': { as: DEMO.officer },
  'POST /oauth/token': { as: 'public' },
  'POST /auth/token/delegated': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /ca/certificates/officer': { as: DEMO.sysadmin, wrongRole: DEMO.applicant },
  'POST /ca/certificates/seal': { as: DEMO.sysadmin, wrongRole: DEMO.leader },
  'POST /ca/certificates/{serial}/renew': { as: DEMO.sysadmin, wrongRole: DEMO.leader },
  'POST /ca/certificates/{serial}/revoke': { as: DEMO.sysadmin, wrongRole: DEMO.applicant },
  'POST /seals/documents': { as: DEMO.leader },
  // intake
  'POST /applications': { as: DEMO.applicant, wrongRole: DEMO.officer },
  'GET /applications/{caseNumber}': { as: DEMO.applicant },
  'POST /licences/{licenceNumber}/revocation': { as: DEMO.leader, wrongRole: DEMO.applicant },
  // approval
  'GET /worklist': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/claim': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/complete': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/unclaim': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/return': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/take-back': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/transfer': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /tasks/{taskId}/joint-meeting': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'GET /cases/{caseNumber}/actions': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /cases/{caseNumber}/suspensions': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /cases/{caseNumber}/suspensions/current/resume': { as: DEMO.officer, wrongRole: DEMO.applicant },
  // approval: fees (wt/fees)
  'POST /cases/{caseNumber}/payments': { as: DEMO.clerk, wrongRole: DEMO.officer },
  'GET /cases/{caseNumber}/fees': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'GET /case-actions/verify': { as: DEMO.supervisor, wrongRole: DEMO.officer },
  'GET /opinions/verify': { as: DEMO.supervisor, wrongRole: DEMO.officer },
  'POST /opinions/anchors': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'GET /cases/{caseNumber}': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'POST /signing-keys': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'GET /signing-keys/current': { as: DEMO.officer, wrongRole: DEMO.applicant },
  'GET /cases/{caseNumber}/opinions/{opinionId}/verification': { as: DEMO.officer, wrongRole: DEMO.applicant },
  // supervision
  'GET /cases/{caseNumber}/steps': { as: DEMO.supervisor, wrongRole: DEMO.applicant },
  'GET /alerts/verify': { as: DEMO.supervisor, wrongRole: DEMO.officer },
  'POST /alerts/anchors': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'GET /alerts': { as: DEMO.supervisor, wrongRole: DEMO.officer },
  'GET /admin/clock': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
  'POST /admin/clock/advance': { as: DEMO.sysadmin, wrongRole: DEMO.supervisor },
};

export function callerOf(op: Operation): Caller | undefined {
  return CALLERS[`${op.method} ${op.path}`];
}

/** Well-formed values for path and query parameters by name; they name nothing that exists, so nothing is changed. */
export const PARAM_VALUES: Record<string, string> = {
  id: '00000000-0000-4000-8000-00000000e2e0',
  taskId: '00000000-0000-4000-8000-00000000e2e1',
  caseNumber: '449900-20260101-999999',
  opinionId: '999999999',
  code: ORGS.unknown,
  serial: '7e2e0000000000000000000000000001',
  kind: 'officer',
  sha256: '0'.repeat(64),
  group: `handler:${ORGS.marketRegistry}`,
  level: 'red',
  after: '0',
  limit: '10',
};

export function paramValue(p: Parameter): string {
  const known = PARAM_VALUES[p.name];
  if (known !== undefined) return known;
  const s = p.schema ?? {};
  if (s.enum && s.enum.length > 0) return String(s.enum[0]);
  if (typeof s.example === 'string' || typeof s.example === 'number' || typeof s.example === 'boolean') return String(s.example);
  if (s.type === 'number' || s.type === 'integer') return '1';
  if (s.format === 'uuid') return PARAM_VALUES['id'];
  return 'e2e-value';
}

const inHours = (h: number): string => new Date(Date.now() + h * 3_600_000).toISOString();

/**
 * Well-formed bodies, keyed like CALLERS. They are shaped to pass validation and then change nothing that matters
 * to anyone else on the shared stack: unknown users, a delegation that ends within the hour, unknown certificate
 * serials, a one-millisecond clock advance.
 */
export function seedBody(op: Operation, unique: string): unknown {
  const key = `${op.method} ${op.path}`;
  switch (key) {
    case 'POST /organisations':
      return { code: ORGS.unknown, name: `e2e-${unique}`, kind: 'section', parentCode: ORGS.market, divisionCode: '449900' };
    case 'POST /organisations/{code}/matter-delegations':
      return { toOrg: ORGS.unknown, matterCode: 'E2E-NO-SUCH-MATTER' };
    case 'POST /users/officers':
      return { username: `e2e.${unique}`, displayName: 'e2e 测试', password: 'e2e-Passw0rd-long', roles: [{ orgCode: ORGS.unknown, role: 'handler' }] };
    case 'POST /applicants/register':
      return { username: `e2e.${unique}`, displayName: '测试用户', password: 'e2e-Passw0rd-long', applicantKind: 'person', applicantId: '449901198503120015' };
    case 'POST /users/{id}/roles':
    case 'DELETE /users/{id}/roles':
      return { orgCode: ORGS.marketRegistry, role: 'handler' };
    case 'POST /delegations':
      return { toUsername: 'deputy.market', orgCode: ORGS.marketRegistry, roles: ['section_chief'], mode: 'delegation', startsAt: inHours(0), endsAt: inHours(1), reason: 'e2e 坏输入测试' };
    case 'POST /auth/login':
      return { username: 'e2e.nobody', password: 'wrong-password', totp: '000000' };
    case 'POST /auth/refresh':
    case 'POST /auth/logout':
      return { refresh_token: 'e2e-not-a-refresh-token' };
    case 'POST /oauth/token':
      return { grant_type: 'client_credentials', client_id: 'e2e-nobody', client_secret: 'wrong-secret' };
    case 'POST /auth/token/delegated':
      return { delegationId: '00000000-0000-4000-8000-00000000e2e2' };
    case 'POST /ca/certificates/officer':
      return { userId: '00000000-0000-4000-8000-00000000e2e3', validityDays: 1 };
    case 'POST /ca/certificates/seal':
      return { orgCode: ORGS.unknown, validityDays: 1 };
    case 'POST /ca/certificates/{serial}/renew':
      return { validityDays: 1 };
    case 'POST /ca/certificates/{serial}/revoke':
      return { reason: 'superseded' };
    case 'POST /ca/verify-jws':
    case 'POST /seals/verify':
      return { jws: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' };
    case 'POST /auth/challenge':
      return { username: 'e2e.nobody' };
    case 'POST /seals/documents':
      return { orgCode: ORGS.market, documentCode: `E2E-${unique}`, sha256: 'a'.repeat(64), title: 'e2e 文件' };
    case 'POST /verify/documents':
      return { documentCode: 'E2E-NO-SUCH-DOCUMENT', sha256: 'b'.repeat(64) };
    case 'POST /applications':
      return { matterCode: 'DEMO-SCJG-001', applicant: { kind: 'person', id: '449901198503120015', name: '张三' }, form: { businessPremises: '示范市东城区孙文中路1号', businessScope: '热食类食品制售' } };
    case 'POST /signing-keys':
      return { reason: `e2e ${unique}` };
    case 'POST /tasks/{taskId}/complete':
      return { outcome: 'approve', opinion: '材料齐全，拟同意。' };
    case 'POST /tasks/{taskId}/return':
      return { toStep: 'HandlerReview', reason: 'e2e 退回测试' };
    case 'POST /tasks/{taskId}/joint-meeting':
      return { reason: 'e2e 会审测试' };
    case 'POST /tasks/{taskId}/transfer':
      return { toOfficer: PARAM_VALUES['id'], reason: 'e2e 转办测试' };
    case 'POST /cases/{caseNumber}/suspensions':
      return { reason: 'expert-review', expectedDays: 1 };
    case 'POST /cases/{caseNumber}/payments':
      return { amountFen: 5000, receiptNumber: `E2E-${unique}`.slice(0, 60) };
    case 'POST /admin/clock/advance':
      return { ms: 1 };
    default:
      return op.body ? fromSchema(op.body) : {};
  }
}

/** A value shaped by a schema, for operations the table does not know. */
export function fromSchema(s: Schema, depth = 0): unknown {
  if (s.example !== undefined) return s.example;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (depth > 6) return null;
  switch (s.type) {
    case 'string':
      return s.format === 'uuid' ? PARAM_VALUES['id'] : s.format === 'date-time' ? inHours(1) : 'e2e';
    case 'number':
    case 'integer':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return s.items ? [fromSchema(s.items, depth + 1)] : [];
    case undefined:
    default:
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, fromSchema(v, depth + 1)]));
  }
}

/** Operations whose well-formed request must differ between concurrent senders to provoke a unique race. */
export function conflictingVariants(op: Operation, unique: string): unknown[] | undefined {
  if (op.method === 'POST' && op.path === '/seals/documents') {
    return [1, 2, 3, 4, 5].map((i) => ({ orgCode: ORGS.market, documentCode: `E2E-RACE-${unique}`, sha256: String(i).repeat(64) }));
  }
  return undefined;
}
