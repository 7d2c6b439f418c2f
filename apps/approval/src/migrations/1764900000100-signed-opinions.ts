import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Real-name signed opinions (seed 001 text 3, art. 9 and 17): `officer_signing_keys` holds each officer's ES256
 * opinion-signing key (encrypted under SIGNING_KEY_KEK) with the certificate chain identity's CA issued for it, at
 * most one live key per officer; an opinion and its pending completion carry the compact JWS and the signer's
 * certificate serial. The opinion columns are nullable: opinions written before signing have none, and the ledger
 * hashes them as before (`addedLater` fields).
 */
export class SignedOpinions1764900000100 implements MigrationInterface {
  name = 'SignedOpinions1764900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE officer_signing_keys (
        id uuid PRIMARY KEY,
        officer_id text NOT NULL,
        cert_serial text NOT NULL,
        subject text NOT NULL,
        cert_chain_pem text NOT NULL,
        private_key_enc text NOT NULL,
        not_before timestamptz NOT NULL,
        not_after timestamptz NOT NULL,
        enrolment_key text,
        enrolment_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        retired_reason text,
        CONSTRAINT officer_signing_keys_serial UNIQUE (cert_serial)
      );
      CREATE UNIQUE INDEX officer_signing_keys_live ON officer_signing_keys (officer_id) WHERE retired_at IS NULL;
      CREATE UNIQUE INDEX officer_signing_keys_enrolment ON officer_signing_keys (officer_id, enrolment_key) WHERE enrolment_key IS NOT NULL;
      ALTER TABLE opinions ADD COLUMN signature text, ADD COLUMN signer_serial text;
      ALTER TABLE pending_completions ADD COLUMN signature text, ADD COLUMN signer_serial text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE pending_completions DROP COLUMN signature, DROP COLUMN signer_serial;
      ALTER TABLE opinions DROP COLUMN signature, DROP COLUMN signer_serial;
      DROP TABLE officer_signing_keys;
    `);
  }
}
