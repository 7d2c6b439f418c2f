import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is tools/deploy-check/src/lib/paths.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/**
 * Ports from DESIGN.md ("Local ports"): the HTTP services, the engine, Kafka's client listener and PostgreSQL.
 * design-ports.spec.ts compares this table with DESIGN.md when ../shared/DESIGN.md is beside the repository.
 */
export const DESIGN_PORTS: Readonly<Record<string, number>> = {
  postgres: 5432,
  kafka: 9092,
  engine: 8080,
  identity: 3001,
  intake: 3002,
  approval: 3003,
  supervision: 3004,
  exchange: 3005,
};

/** The NestJS services that have an app folder with src/config.ts and are deployed. */
export const NODE_SERVICES = ['identity', 'intake', 'approval', 'supervision'] as const;
export type NodeService = (typeof NODE_SERVICES)[number];
