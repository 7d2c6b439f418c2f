import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OfficerSigningKey } from './officer-signing-key.entity';

@Injectable()
export class SigningKeysRepository {
  constructor(private readonly ds: DataSource) {}

  /** The officer's live key (at most one). */
  live(officerId: string): Promise<OfficerSigningKey | null> {
    return this.ds.getRepository(OfficerSigningKey).createQueryBuilder('k').where('k.officer_id = :officerId AND k.retired_at IS NULL', { officerId }).getOne();
  }

  byEnrolmentKey(officerId: string, enrolmentKey: string): Promise<OfficerSigningKey | null> {
    return this.ds.getRepository(OfficerSigningKey).findOne({ where: { officerId, enrolmentKey } });
  }

  /** Takes a key out of use (its certificate expired, was revoked, or a new key supersedes it). */
  async retire(id: string, reason: string): Promise<void> {
    await this.ds.query(`UPDATE officer_signing_keys SET retired_at = now(), retired_reason = $2 WHERE id = $1 AND retired_at IS NULL`, [id, reason.slice(0, 500)]);
  }

  /** Adds a key when the officer has no live one; returns false when another enrolment got there first. */
  async addIfNone(k: OfficerSigningKey): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      INSERT_KEY,
      params(k),
    );
    return rows.length === 1;
  }

  /** Replaces the officer's live key (one short transaction); false when the enrolment key was used already. */
  async replace(k: OfficerSigningKey): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const why = k.enrolmentReason ? `superseded: ${k.enrolmentReason}` : 'superseded';
      await m.query(`UPDATE officer_signing_keys SET retired_at = now(), retired_reason = $2 WHERE officer_id = $1 AND retired_at IS NULL`, [k.officerId, why]);
      const rows = await m.query<unknown[]>(INSERT_KEY, params(k));
      if (rows.length === 0) throw new EnrolmentRaced();
      return true;
    }).catch((e: unknown) => {
      if (e instanceof EnrolmentRaced) return false;
      throw e;
    });
  }
}

class EnrolmentRaced extends Error {}

const INSERT_KEY = `INSERT INTO officer_signing_keys (id, officer_id, cert_serial, subject, cert_chain_pem, private_key_enc, not_before, not_after, enrolment_key, enrolment_reason)
  VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING RETURNING id`;

function params(k: OfficerSigningKey): unknown[] {
  return [k.id, k.officerId, k.certSerial, k.subject, k.certChainPem, k.privateKeyEnc, k.notBefore, k.notAfter, k.enrolmentKey, k.enrolmentReason];
}
