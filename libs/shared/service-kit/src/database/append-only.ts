/**
 * SQL that makes a table append-only for everyone, the owner included: row triggers refuse UPDATE and DELETE, a
 * statement trigger refuses TRUNCATE, both ENABLE ALWAYS (so session_replication_role=replica does not skip them),
 * and the application role loses the privileges too. A superuser can still drop the triggers: the hash chain kept
 * in such tables is what detects that.
 */
export function appendOnlySql(table: string, appRole = 'gov_app'): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table) || !/^[a-z_][a-z0-9_]*$/.test(appRole)) throw new Error(`invalid identifier in appendOnlySql(${table}, ${appRole})`);
  return `
    CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$;
    CREATE TRIGGER ${table}_no_update BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
    ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_update;
    ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table}_no_truncate;
    REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC;
    DO $do$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM ${appRole};
      END IF;
    END $do$;
  `;
}
