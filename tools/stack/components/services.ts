// The NestJS services: built with swc through Nx (cached), run as node processes, health-checked on /health/ready.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Component, ROOT, httpOk, runLogged, spawnDaemon, stopDaemon } from '../lib';
import { ENGINE_URL } from './engine';
import { KAFKA_BROKERS } from './kafka';
import { PG } from './postgres';

export interface ServiceSpec {
  name: string;
  port: number;
  needs: string[];
  env?: Record<string, string>;
}

export const SERVICE_SPECS: ServiceSpec[] = [
  { name: 'identity', port: 3001, needs: ['postgres'] },
  { name: 'intake', port: 3002, needs: ['postgres', 'topics', 'identity'] },
  { name: 'approval', port: 3003, needs: ['postgres', 'topics', 'flows', 'identity'] },
  { name: 'supervision', port: 3004, needs: ['postgres', 'topics', 'identity'], env: { CLOCK_CONTROL_ENABLED: process.env.CLOCK_CONTROL_ENABLED ?? 'true' } },
];

export function serviceUrl(name: string): string {
  const spec = SERVICE_SPECS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return `http://127.0.0.1:${spec.port}`;
}

function serviceComponent(spec: ServiceSpec): Component {
  return {
    name: spec.name,
    needs: spec.needs,
    startTimeoutSec: 60,
    async prepare() {
      // Nx caches the build: a second run with unchanged sources restores dist/<app> in milliseconds.
      runLogged(`${spec.name}-build`, join(ROOT, 'node_modules/.bin/nx'), ['run', `${spec.name}:build`, '--outputStyle=static'], {
        env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      });
    },
    healthy: () => httpOk(`http://127.0.0.1:${spec.port}/health/ready`),
    async start() {
      const main = join(ROOT, 'dist', spec.name, 'apps', spec.name, 'src', 'main.js');
      if (!existsSync(main)) throw new Error(`${spec.name}: ${main} is missing; the build did not run`);
      spawnDaemon(spec.name, process.execPath, ['--enable-source-maps', main], {
        env: {
          NODE_ENV: process.env.NODE_ENV ?? 'development',
          PGHOST: PG.host,
          PGPORT: String(PG.port),
          KAFKA_BROKERS,
          ENGINE_URL,
          ...spec.env,
        },
      });
    },
    stop: () => stopDaemon(spec.name, 15_000),
  };
}

export const services: Component[] = SERVICE_SPECS.map(serviceComponent);
