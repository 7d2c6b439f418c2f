import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DataSource, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { SigningKey } from './signing-key.entity';

const KEYS_LOCK = 0x6b657973;

@Injectable()
export class KeysRepository {
  constructor(private readonly ds: DataSource) {}

  /** The key that signs now: the most recently activated one. */
  async active(now: Date): Promise<SigningKey | null> {
    return this.ds.getRepository(SigningKey).findOne({ where: { activatesAt: LessThanOrEqual(now) }, order: { activatesAt: 'DESC' } });
  }

  /** Keys that verifiers must know: pending, active, and retired ones whose tokens may still be valid. */
  async published(now: Date): Promise<SigningKey[]> {
    return this.ds.getRepository(SigningKey).find({
      where: [{ publishUntil: IsNull() }, { publishUntil: MoreThan(now) }],
      order: { activatesAt: 'DESC' },
    });
  }

  async all(): Promise<SigningKey[]> {
    return this.ds.getRepository(SigningKey).find({ order: { activatesAt: 'DESC' } });
  }

  /**
   * Runs `fn` with the rotation lock held and the current keys, inserting what it returns and updating retired
   * keys, in one transaction, so two replicas never rotate at once.
   */
  async rotate(fn: (keys: SigningKey[]) => { insert?: SigningKey; retire?: SigningKey[] }): Promise<SigningKey | undefined> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [KEYS_LOCK]);
      const keys = await em.getRepository(SigningKey).find({ order: { activatesAt: 'DESC' } });
      const plan = fn(keys);
      for (const k of plan.retire ?? []) {
        await em.getRepository(SigningKey).update({ kid: k.kid }, { retiresAt: k.retiresAt, publishUntil: k.publishUntil });
      }
      if (plan.insert) await em.getRepository(SigningKey).insert(plan.insert as unknown as QueryDeepPartialEntity<SigningKey>);
      return plan.insert;
    });
  }
}
