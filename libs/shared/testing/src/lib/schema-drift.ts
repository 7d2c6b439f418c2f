import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { STACK, sql } from './stack';

/**
 * Applies a service's committed migrations to a fresh database, then asks TypeORM what it would still change to
 * match the entities. Any SQL returned means an entity changed without a migration.
 */
export async function schemaDriftAfterMigrations(
  database: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
  entities: MixedList<string | (new () => unknown) | EntitySchema>,
): Promise<string[]> {
  await sql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await sql('postgres', `CREATE DATABASE ${database}`);
  const ds = new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: 'postgres', database, migrations, entities, migrationsTransactionMode: 'each' });
  await ds.initialize();
  try {
    await ds.runMigrations();
    const log = await ds.driver.createSchemaBuilder().log();
    return log.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
    await sql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}
