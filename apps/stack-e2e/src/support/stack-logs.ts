import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A 500 answers "an internal error occurred" by design; its cause is in the service's log, under the request's
// trace id. The stack tool writes each service's log to <repo>/.stack/logs/<service>.log (STACK_LOG_DIR overrides).

export function stackLogDir(): string | undefined {
  const candidates = [process.env['STACK_LOG_DIR'], join(process.cwd(), '.stack', 'logs')].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(d));
}

/** The logged error of each failed request of a service, by trace id: "TypeName: message". */
export function loggedErrors(service: string): Map<string, string> {
  const out = new Map<string, string>();
  const dir = stackLogDir();
  if (!dir) return out;
  const file = join(dir, `${service}.log`);
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"level":"error"') || !line.includes('"traceId"')) continue;
    try {
      const entry = JSON.parse(line) as { traceId?: string; err?: { type?: string; message?: string }; msg?: string };
      if (entry.traceId && !out.has(entry.traceId)) out.set(entry.traceId, entry.err ? `${entry.err.type ?? 'Error'}: ${entry.err.message ?? ''}` : (entry.msg ?? ''));
    } catch {
      /* not a JSON line */
    }
  }
  return out;
}

/** A message with its variable parts (ids, numbers, quoted values) blanked, so that one cause groups as one. */
export function normalise(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .slice(0, 240);
}
