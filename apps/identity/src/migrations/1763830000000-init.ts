import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schema of the identity service: organisations, users, tokens, keys, delegations, CA, seals, audit. */
export class Init1763830000000 implements MigrationInterface {
  name = 'Init1763830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor" character varying(128), "actor_label" character varying(255), "action" character varying(64) NOT NULL, "target" character varying(255), "outcome" character varying(16) NOT NULL, "ip" character varying(64), "details" jsonb NOT NULL DEFAULT '{}', "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`);
    await q.query(`CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_refresh_tokens_user" ON "refresh_tokens" ("user_id") `);
    await q.query(`CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id") `);
    await q.query(`CREATE TABLE "service_clients" ("client_id" character varying(64) NOT NULL, "secret_hash" character varying(255) NOT NULL, "name" character varying(128) NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fe4a3de82da94b4759c743896c0" PRIMARY KEY ("client_id"))`);
    await q.query(`CREATE TABLE "ca_authorities" ("name" character varying(16) NOT NULL, "cert_pem" text NOT NULL, "private_key_enc" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_36cf51843e831a60a1a7184b1ae" PRIMARY KEY ("name"))`);
    await q.query(`CREATE TABLE "certificates" ("serial" character varying(40) NOT NULL, "kind" character varying(16) NOT NULL, "subject_user_id" uuid, "org_code" character varying(18) NOT NULL, "subject_dn" text NOT NULL, "cert_pem" text NOT NULL, "private_key_enc" text, "status" character varying(16) NOT NULL DEFAULT 'good', "not_before" TIMESTAMP WITH TIME ZONE NOT NULL, "not_after" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revocation_reason" character varying(32), "replaces_serial" character varying(40), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_87af1f436e42688acef033da093" PRIMARY KEY ("serial"))`);
    await q.query(`CREATE INDEX "ix_certificates_user" ON "certificates" ("subject_user_id") `);
    await q.query(`CREATE INDEX "ix_certificates_org" ON "certificates" ("org_code") `);
    await q.query(`CREATE TABLE "delegations" ("id" uuid NOT NULL, "from_user" uuid NOT NULL, "to_user" uuid NOT NULL, "org_code" character varying(18) NOT NULL, "roles" text array NOT NULL, "mode" character varying(16) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" character varying(255) NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_01f9fbbc9b3bf52236a4e951b19" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_delegations_from" ON "delegations" ("from_user") `);
    await q.query(`CREATE INDEX "ix_delegations_to" ON "delegations" ("to_user") `);
    await q.query(`CREATE TABLE "signing_keys" ("kid" character varying(64) NOT NULL, "alg" character varying(16) NOT NULL, "public_jwk" jsonb NOT NULL, "private_key_enc" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activates_at" TIMESTAMP WITH TIME ZONE NOT NULL, "retires_at" TIMESTAMP WITH TIME ZONE, "publish_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid"))`);
    await q.query(`CREATE TABLE "organisations" ("code" character varying(18) NOT NULL, "name" character varying(128) NOT NULL, "kind" character varying(16) NOT NULL, "level" character varying(16), "parent_code" character varying(18), "division_code" character varying(12) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_06f3139d67205a125c84f8c6c45" PRIMARY KEY ("code"))`);
    await q.query(`CREATE TABLE "org_matter_delegations" ("id" uuid NOT NULL, "from_org" character varying(18) NOT NULL, "to_org" character varying(18) NOT NULL, "matter_code" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_org_matter_delegation" UNIQUE ("from_org", "to_org", "matter_code"), CONSTRAINT "PK_10b1c3586c2390c8206a87c13e2" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "sealed_documents" ("id" uuid NOT NULL, "document_code" character varying(64) NOT NULL, "sha256" character(64) NOT NULL, "org_code" character varying(18) NOT NULL, "cert_serial" character varying(40) NOT NULL, "sealed_by" character varying(64) NOT NULL, "sealed_by_label" character varying(255) NOT NULL, "sealed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "jws" text NOT NULL, CONSTRAINT "UQ_fba2d66489b8d5ff3ae375cf384" UNIQUE ("document_code"), CONSTRAINT "PK_72b4a22a11821397808e9520c89" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_sealed_documents_sha256" ON "sealed_documents" ("sha256") `);
    await q.query(`CREATE TABLE "users" ("id" uuid NOT NULL, "username" character varying(64) NOT NULL, "display_name" character varying(128) NOT NULL, "kind" character varying(16) NOT NULL, "password_hash" character varying(255) NOT NULL, "totp_secret_enc" text, "totp_last_step" bigint, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "applicant_kind" character varying(16), "applicant_id" character varying(18), "disabled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "UQ_fe0bb3f6520ee0469504521e710" UNIQUE ("username"), CONSTRAINT "UQ_2bf6cba4a402db09237b43bee92" UNIQUE ("applicant_id"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "user_roles" ("user_id" uuid NOT NULL, "org_code" character varying(18) NOT NULL, "role" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_46690af128499ba52cf789deacf" PRIMARY KEY ("user_id", "org_code", "role"))`);
    // Integrity the entities do not declare (kept out of the ORM so the entities stay plain).
    await q.query(`ALTER TABLE "organisations" ADD CONSTRAINT "fk_org_parent" FOREIGN KEY ("parent_code") REFERENCES "organisations"("code")`);
    await q.query(`ALTER TABLE "organisations" ADD CONSTRAINT "ck_org_kind" CHECK ("kind" IN ('region','department','section'))`);
    await q.query(`ALTER TABLE "org_matter_delegations" ADD CONSTRAINT "fk_omd_from" FOREIGN KEY ("from_org") REFERENCES "organisations"("code")`);
    await q.query(`ALTER TABLE "org_matter_delegations" ADD CONSTRAINT "fk_omd_to" FOREIGN KEY ("to_org") REFERENCES "organisations"("code")`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "ck_users_kind" CHECK ("kind" IN ('officer','applicant'))`);
    await q.query(`ALTER TABLE "user_roles" ADD CONSTRAINT "fk_user_roles_user" FOREIGN KEY ("user_id") REFERENCES "users"("id")`);
    await q.query(`ALTER TABLE "user_roles" ADD CONSTRAINT "fk_user_roles_org" FOREIGN KEY ("org_code") REFERENCES "organisations"("code")`);
    await q.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id")`);
    await q.query(`ALTER TABLE "delegations" ADD CONSTRAINT "fk_delegations_from" FOREIGN KEY ("from_user") REFERENCES "users"("id")`);
    await q.query(`ALTER TABLE "delegations" ADD CONSTRAINT "fk_delegations_to" FOREIGN KEY ("to_user") REFERENCES "users"("id")`);
    await q.query(`ALTER TABLE "delegations" ADD CONSTRAINT "fk_delegations_org" FOREIGN KEY ("org_code") REFERENCES "organisations"("code")`);
    await q.query(`ALTER TABLE "delegations" ADD CONSTRAINT "ck_delegations_window" CHECK ("ends_at" > "starts_at")`);
    await q.query(`ALTER TABLE "certificates" ADD CONSTRAINT "fk_certificates_org" FOREIGN KEY ("org_code") REFERENCES "organisations"("code")`);
    await q.query(`ALTER TABLE "certificates" ADD CONSTRAINT "fk_certificates_user" FOREIGN KEY ("subject_user_id") REFERENCES "users"("id")`);
    await q.query(`ALTER TABLE "sealed_documents" ADD CONSTRAINT "fk_sealed_documents_cert" FOREIGN KEY ("cert_serial") REFERENCES "certificates"("serial")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['sealed_documents', 'certificates', 'ca_authorities', 'delegations', 'signing_keys', 'service_clients', 'refresh_tokens', 'user_roles', 'users', 'org_matter_delegations', 'organisations', 'audit_log']) {
      await q.query(`DROP TABLE "${t}"`);
    }
  }
}
