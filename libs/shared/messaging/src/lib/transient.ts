/**
 * Whether an error is worth waiting out (the dependency will come back) rather than a property of the message.
 * Transient: lost or refused connections and timeouts, PostgreSQL connection/shutdown/serialisation/resource errors,
 * and HTTP 5xx from a dependency such as the engine. Everything else counts as a processing failure of this message.
 */
export function isTransient(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { code?: unknown; name?: unknown; status?: unknown; cause?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_)/.test(code)) return true;
  // PostgreSQL SQLSTATE: 08 connection exception, 57P0x shutdown, 53 insufficient resources, 40001/40P01 retryable.
  if (/^(08|57P0|53)/.test(code) || code === '40001' || code === '40P01') return true;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  if (typeof e.status === 'number' && e.status >= 500 && e.status !== 501) return true;
  if (typeof e.message === 'string' && /fetch failed|Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) return true;
  return isTransient(e.cause, depth + 1);
}
