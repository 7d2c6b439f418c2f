import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit table is append-only for everyone but its owner: UPDATE/DELETE/TRUNCATE privileges are revoked from
 * every other role, and triggers refuse those statements anyway. The triggers are ENABLE ALWAYS so that
 * session_replication_role = replica does not skip them. The owner could still disable them: the hash chain
 * detects edits made that way.
 */
export class AuditAppendOnly1763830000001 implements MigrationInterface {
  name = 'AuditAppendOnly1763830000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete`);
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
    // Whoever received privileges through default privileges (the application role): keep SELECT and INSERT only.
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                 WHERE table_name = 'audit_log' AND grantee <> current_user AND grantee <> 'PUBLIC'
        LOOP
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM %I', r.grantee);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_no_truncate ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_no_update_delete ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
