import { IdempotencyKeysCreatedAt1763800000051 } from '@gov/service-kit';

/** The kit's created_at index on idempotency_keys (pruning expired keys), after this service's table migration. */
export class IdempotencyKeysCreatedAt1763830000051 extends IdempotencyKeysCreatedAt1763800000051 {
  override name = 'IdempotencyKeysCreatedAt1763830000051';
}
