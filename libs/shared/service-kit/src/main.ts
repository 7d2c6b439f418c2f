import type { Logger } from 'pino';
import { ConfigError } from './config/config';

/** Runs a service's start-up; a bad configuration prints what to fix and exits 78 (EX_CONFIG), other failures 1. */
export function runMain(service: string, start: () => Promise<unknown>, logger?: () => Logger | undefined): void {
  start().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    const log = logger?.();
    if (log) log.fatal({ err: e }, `${service} failed to start`);
    else process.stderr.write(`${service} failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
