import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decision documents and the licence as notice kinds, the licence store (证照批文共享) with the material slots met by
 * a licence, and the public feed (公示) of seed 001 text 3 art. 19-21 (issue 9 §3).
 */
export class DocumentsLicencesPublicity1764900000400 implements MigrationInterface {
  name = 'DocumentsLicencesPublicity1764900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal','approval-decision','refusal-decision','licence'));
      CREATE TABLE licences (
        licence_number text PRIMARY KEY,
        licence_type text NOT NULL,
        notice_id uuid NOT NULL CONSTRAINT licences_notice_id_key UNIQUE,
        application_id uuid NOT NULL,
        case_number text NOT NULL CONSTRAINT licences_case_number_key UNIQUE,
        matter_code text NOT NULL,
        matter_name text NOT NULL,
        department_code text NOT NULL,
        tenant_id text NOT NULL,
        holder_kind text NOT NULL,
        holder_id text NOT NULL,
        holder_name text NOT NULL,
        scope text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        issued_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revocation_reason text,
        CONSTRAINT licences_holder_kind_check CHECK (holder_kind IN ('person','legal-entity'))
      );
      CREATE INDEX licences_holder ON licences (holder_id, issued_at);
      CREATE TABLE material_licence_refs (
        application_id uuid NOT NULL,
        slot_key text NOT NULL,
        slot_name text NOT NULL,
        licence_number text NOT NULL,
        referenced_by text NOT NULL,
        referenced_at timestamptz NOT NULL,
        PRIMARY KEY (application_id, slot_key)
      );
      CREATE TABLE publicity_entries (
        case_number text PRIMARY KEY,
        application_id uuid NOT NULL,
        matter_code text NOT NULL,
        matter_name text NOT NULL,
        department_code text NOT NULL,
        tenant_id text NOT NULL,
        applicant_name text NOT NULL,
        applicant_id_masked text NOT NULL,
        decision text NOT NULL,
        publicity_case text NOT NULL,
        document_number text NOT NULL,
        licence_number text,
        licence_type text,
        decided_at timestamptz NOT NULL,
        counts_from timestamptz NOT NULL,
        due_by timestamptz NOT NULL,
        publish_at timestamptz NOT NULL,
        published_at timestamptz,
        CONSTRAINT publicity_case_check CHECK (publicity_case IN ('licence-issued','approved','higher-approved','refused')),
        CONSTRAINT publicity_decision_check CHECK (decision IN ('approved','rejected'))
      );
      CREATE INDEX publicity_published ON publicity_entries (published_at, case_number) WHERE published_at IS NOT NULL;
      CREATE INDEX publicity_due ON publicity_entries (publish_at) WHERE published_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE publicity_entries;
      DROP TABLE material_licence_refs;
      DROP TABLE licences;
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal'));
    `);
  }
}
