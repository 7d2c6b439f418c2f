import { randomUUID } from 'node:crypto';
import { demoLogin } from '@gov/auth/testing';
import { STACK } from '@gov/testing';
import type { RawClient, RawRequest, RawResponse } from './raw-client';
import { type Operation, pathParams, urlOf } from './openapi';
import { PROBE_ORDER, callerOf, paramValue, seedBody } from './operations';

// What the hostile suites share: tokens of the demo users (one login each, then reused), and who may call an
// operation (the table first, then probing).

export async function tokenOf(username: string): Promise<string> {
  return (await demoLogin(STACK.identity, username)).access_token;
}

/** A fresh x-request-id: the service kit takes it as the request's trace id, which the audit trail records. */
export function requestId(): string {
  return `e2e-${randomUUID()}`;
}

export function defaultPathValues(op: Operation): Record<string, string> {
  return Object.fromEntries(pathParams(op).map((p) => [p.name, encodeURIComponent(paramValue(p))]));
}

export interface ResolvedCaller {
  /** 'public' or the demo user whose token goes with the requests. */
  as: string;
  wrongRole?: string;
  how: 'table' | 'public' | 'probed' | 'unresolved';
}

/** Who calls an operation: the table, or for an operation it does not know, the first demo user not refused. */
export async function resolveCaller(op: Operation, client: RawClient): Promise<ResolvedCaller> {
  const known = callerOf(op);
  if (known) return { ...known, how: 'table' };
  if (!op.guarded) return { as: 'public', how: 'public' };
  for (const user of PROBE_ORDER) {
    const req: RawRequest = {
      method: op.method,
      url: urlOf(op, defaultPathValues(op)),
      headers: { authorization: `Bearer ${await tokenOf(user)}`, 'x-request-id': requestId(), ...(op.body ? { 'content-type': 'application/json' } : {}) },
      body: op.body ? JSON.stringify(seedBody(op, randomUUID().slice(0, 8))) : undefined,
    };
    const res: RawResponse = await client.send(req);
    if (res.status !== 401 && res.status !== 403) return { as: user, how: 'probed' };
  }
  return { as: PROBE_ORDER[PROBE_ORDER.length - 1], how: 'unresolved' };
}
