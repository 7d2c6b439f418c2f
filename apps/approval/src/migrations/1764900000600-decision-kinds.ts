import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every kind of decision the flow library issues (issue 9 §1/§3): filing receipts (`filed`) and revocations
 * (`revoked`) join approvals, refusals and the 准予撤回 / 终止 documents. A revocation is a second document of an
 * approved case, so a row is now one per case and kind, and a partial unique index keeps one outcome per case (every
 * kind but `revoked`). A revocation names the decision it revokes.
 */
export class DecisionKinds1764900000600 implements MigrationInterface {
  name = 'DecisionKinds1764900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE decisions DROP CONSTRAINT decisions_decision_check;
      ALTER TABLE decisions ADD CONSTRAINT decisions_decision_check CHECK (decision IN ('approved', 'rejected', 'filed', 'withdrawn', 'terminated', 'revoked'));
      ALTER TABLE decisions DROP CONSTRAINT decisions_pkey;
      ALTER TABLE decisions ADD CONSTRAINT decisions_pkey PRIMARY KEY (case_number, decision);
      CREATE UNIQUE INDEX decisions_one_outcome_per_case ON decisions (case_number) WHERE decision <> 'revoked';
      ALTER TABLE decisions ADD COLUMN revokes_document_number text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM decisions WHERE decision IN ('filed', 'revoked');
      ALTER TABLE decisions DROP COLUMN revokes_document_number;
      DROP INDEX decisions_one_outcome_per_case;
      ALTER TABLE decisions DROP CONSTRAINT decisions_pkey;
      ALTER TABLE decisions ADD CONSTRAINT decisions_pkey PRIMARY KEY (case_number);
      ALTER TABLE decisions DROP CONSTRAINT decisions_decision_check;
      ALTER TABLE decisions ADD CONSTRAINT decisions_decision_check CHECK (decision IN ('approved', 'rejected', 'withdrawn', 'terminated'));
    `);
  }
}
