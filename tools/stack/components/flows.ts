// Deploys every BPMN file in bpmn/ to the engine for each demo tenant (unchanged files are not redeployed),
// and lets the application role relay the engine's outbox (and nothing else in the engine's database).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CamundaClient } from '@gov/workflow';
import { Client } from 'pg';
import { type Component, ROOT, progress } from '../lib';
import { ENGINE_URL } from './engine';
import { PG } from './postgres';

// The city (示范市, 449900) and the county 东城区 (449901), whose 上报件 (DEMO-SCJG-010) runs higher-level-submission
// there and calls the city's higher-level-review in 449900.
export const DEMO_TENANTS = (process.env.DEMO_TENANTS ?? '449900,449901').split(',');

function client(): CamundaClient {
  return new CamundaClient({ baseUrl: ENGINE_URL, username: process.env.ENGINE_REST_USER, password: process.env.ENGINE_REST_PASSWORD });
}

function flowFiles(): { name: string; content: string }[] {
  const dir = join(ROOT, 'bpmn');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .map((f) => ({ name: f, content: readFileSync(join(dir, f), 'utf8') }));
}

export const flows: Component = {
  name: 'flows',
  needs: ['engine'],
  kind: 'task',
  async healthy() {
    return false;
  },
  async start() {
    const c = client();
    for (const tenant of DEMO_TENANTS) {
      const deployment = await c.deploy({ name: 'gov-flows', tenantId: tenant, source: 'stack', files: flowFiles() });
      const defs = Object.values(deployment.deployedProcessDefinitions ?? {});
      progress('flows', defs.length ? `tenant ${tenant}: deployed ${defs.map((d) => `${d.key} v${d.version}`).join(', ')}` : `tenant ${tenant}: flows unchanged`);
    }
    const pg = new Client({ host: PG.host, port: PG.port, user: PG.superuser, database: 'engine' });
    await pg.connect();
    try {
      await pg.query('GRANT SELECT, UPDATE, DELETE ON outbox TO gov_app');
    } finally {
      await pg.end();
    }
  },
  async stop() {
    /* deployments live in the engine's database */
  },
};
