import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every kind of decision the flow library issues (issue 9 §1/§3): the filing receipt (备案回执) and the revocation
 * decision (撤销行政许可决定书) as notice kinds; a licence revoked records on what legal basis, by which decision (or
 * by hand, by whom), besides its time and reason (issue 8).
 */
export class DecisionKinds1764900000600 implements MigrationInterface {
  name = 'DecisionKinds1764900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal','approval-decision','refusal-decision','licence','payment-notice','filing-receipt','revocation-decision'));
      ALTER TABLE licences ADD COLUMN revocation_legal_basis text;
      ALTER TABLE licences ADD COLUMN revocation_document_number text;
      ALTER TABLE licences ADD COLUMN revoked_by text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE licences DROP COLUMN revoked_by;
      ALTER TABLE licences DROP COLUMN revocation_document_number;
      ALTER TABLE licences DROP COLUMN revocation_legal_basis;
      DELETE FROM notices WHERE kind IN ('filing-receipt','revocation-decision');
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal','approval-decision','refusal-decision','licence','payment-notice'));
    `);
  }
}
