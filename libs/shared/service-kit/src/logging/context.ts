import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** Correlation data carried through a request or a consumed message, added to every log line. */
export interface LogContext {
  traceId: string;
  caseId?: string;
  correlationId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export const RequestContext = {
  run<T>(context: LogContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): LogContext | undefined {
    return storage.getStore();
  },
  /** Attach the case number once it is known (e.g. after a lookup). */
  setCase(caseId: string): void {
    const ctx = storage.getStore();
    if (ctx) ctx.caseId = caseId;
  },
};

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** Extract the trace id from a W3C traceparent header ("00-<trace>-<span>-<flags>"), if well formed. */
export function traceIdFromTraceparent(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(header.trim());
  return match?.[1];
}
