import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One spelling of the applicant kinds across services (`ApplicantKind` in @gov/contracts): legal_entity → legal-entity. */
export class ApplicantKindSpelling1763830000500 implements MigrationInterface {
  name = 'ApplicantKindSpelling1763830000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE users SET applicant_kind = 'legal-entity' WHERE applicant_kind = 'legal_entity'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE users SET applicant_kind = 'legal_entity' WHERE applicant_kind = 'legal-entity'`);
  }
}
