import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import type { Logger } from 'pino';

export interface DatabaseSettings {
  PGHOST: string;
  PGPORT: number;
  DB_USER: string;
  DB_PASSWORD: string;
  DB_OWNER_USER: string;
  DB_OWNER_PASSWORD: string;
}

type Entities = MixedList<string | (new () => unknown) | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Migrations = MixedList<string | Function>;

/**
 * TypeORM options for one service database. Runtime traffic uses the application role (no DDL, and append-only
 * tables refuse it UPDATE/DELETE/TRUNCATE); migrations run as the owner role. `synchronize` is always off.
 */
export function dataSourceOptions(
  settings: DatabaseSettings,
  database: string,
  opts: { entities: Entities; migrations?: Migrations; role?: 'app' | 'owner'; poolSize?: number; name?: string },
): DataSourceOptions {
  const owner = opts.role === 'owner';
  return {
    type: 'postgres',
    name: opts.name,
    host: settings.PGHOST,
    port: settings.PGPORT,
    username: owner ? settings.DB_OWNER_USER : settings.DB_USER,
    password: (owner ? settings.DB_OWNER_PASSWORD : settings.DB_PASSWORD) || undefined,
    database,
    entities: opts.entities,
    migrations: opts.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'migration'],
    extra: { max: opts.poolSize ?? 10, application_name: `${database}-${opts.role ?? 'app'}` },
  };
}

/** node-postgres settings for the application role on one database (outbox relays, LISTEN). */
export function pgConnection(settings: DatabaseSettings, database: string, user = settings.DB_USER, password = settings.DB_PASSWORD) {
  return { host: settings.PGHOST, port: settings.PGPORT, user, password: password || undefined, database };
}

/** Runs pending migrations as the owner role, serialised across replicas by a PostgreSQL advisory lock. */
export async function runMigrations(settings: DatabaseSettings, database: string, migrations: Migrations, logger: Logger): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(settings, database, { entities: [], migrations, role: 'owner', poolSize: 1 }));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${database}`]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    await ds.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${database}`]);
    if (applied.length > 0) logger.info({ database, migrations: applied.map((m) => m.name) }, 'migrations applied');
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
