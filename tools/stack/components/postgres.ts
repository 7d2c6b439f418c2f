// PostgreSQL: the machine's server on PGHOST:PGPORT when it answers; otherwise a cluster of our own under
// .stack/data/postgres (Debian's postgresql binaries). Then roles and one database per service, idempotently.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Component, DATA_DIR, commandExists, progress, runLogged, spawnDaemon, stopDaemon, readPid, isAlive } from '../lib';

export const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  superuser: process.env.PGSUPERUSER ?? 'postgres',
};

/** Databases owned by gov_owner (services) and by camunda (engine). */
export const SERVICE_DATABASES = ['identity', 'intake', 'approval', 'supervision', 'exchange'];
const OWN_CLUSTER = join(DATA_DIR, 'postgres');

async function query(database: string, sql: string, user = PG.superuser): Promise<void> {
  const client = new Client({ host: PG.host, port: PG.port, user, database, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function exists(sql: string, params: unknown[]): Promise<boolean> {
  const client = new Client({ host: PG.host, port: PG.port, user: PG.superuser, database: 'postgres', connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rowCount! > 0;
  } finally {
    await client.end();
  }
}

export async function ensureRole(role: string): Promise<void> {
  if (!(await exists('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]))) await query('postgres', `CREATE ROLE ${role} LOGIN`);
}

/** Creates the database if missing and gives the application role DML (never DDL) on what the owner creates. */
export async function ensureDatabase(name: string, owner = 'gov_owner', appRole: string | undefined = 'gov_app'): Promise<void> {
  if (!(await exists('SELECT 1 FROM pg_database WHERE datname = $1', [name]))) {
    await query('postgres', `CREATE DATABASE ${name} OWNER ${owner}`);
  }
  await query(name, `REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO ${owner}`);
  if (appRole) {
    await query(
      name,
      `GRANT CONNECT ON DATABASE ${name} TO ${appRole};
       GRANT USAGE ON SCHEMA public TO ${appRole};
       ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${appRole};
       ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${appRole};`,
    );
  }
}

async function ping(): Promise<boolean> {
  try {
    await query('postgres', 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

function debianBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : undefined;
}

export const postgres: Component = {
  name: 'postgres',
  needs: [],
  startTimeoutSec: 60,
  healthy: ping,
  async start() {
    // The machine's own cluster, as this kind of machine starts it.
    if (commandExists('pg_ctlcluster') && commandExists('pg_lsclusters')) {
      try {
        runLogged('postgres', 'sh', ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | sort -n | tail -1) main start']);
        return;
      } catch (e) {
        progress('postgres', `machine cluster did not start (${(e as Error).message}); starting our own`);
      }
    }
    const bin = debianBinDir();
    if (!bin) throw new Error('no PostgreSQL server answers and none is installed: apt-get install postgresql (the CI script does this)');
    if (!existsSync(join(OWN_CLUSTER, 'PG_VERSION'))) {
      progress('postgres', `initialising a cluster in ${OWN_CLUSTER}`);
      runLogged('postgres', join(bin, 'initdb'), ['-D', OWN_CLUSTER, '-U', PG.superuser, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    }
    const asRoot = process.getuid?.() === 0;
    if (asRoot) runLogged('postgres', 'chown', ['-R', 'postgres:postgres', OWN_CLUSTER]);
    const args = ['-D', OWN_CLUSTER, '-c', `port=${PG.port}`, '-c', `listen_addresses=${PG.host}`, '-c', `unix_socket_directories=${OWN_CLUSTER}`];
    if (asRoot) spawnDaemon('postgres', 'su', ['postgres', '-s', '/bin/sh', '-c', [join(bin, 'postgres'), ...args].join(' ')]);
    else spawnDaemon('postgres', join(bin, 'postgres'), args);
  },
  async stop() {
    // Only a cluster this tool started is stopped; the machine's own server is left running.
    if (isAlive(readPid('postgres'))) await stopDaemon('postgres', 30_000);
  },
  async afterStart() {
    for (const role of ['gov_owner', 'gov_app', 'camunda']) await ensureRole(role);
    for (const db of SERVICE_DATABASES) await ensureDatabase(db);
    await ensureDatabase('engine', 'camunda', 'gov_app');
  },
};
