import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The application role may add opinions but never change or remove them (the trigger also refuses the owner). */
export class ApprovalAppGrants1763800000201 implements MigrationInterface {
  name = 'ApprovalAppGrants1763800000201';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gov_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON opinions FROM gov_app;
      END IF;
    END $$`);
  }
  async down(): Promise<void> {
    /* grants follow the default privileges again */
  }
}
