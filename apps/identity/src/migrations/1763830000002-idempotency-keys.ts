import { IdempotencyKeys1763800000050 } from '@gov/service-kit';

/** The kit's idempotency_keys table (Idempotency-Key on creating POSTs), under this service's migration history. */
export class IdempotencyKeys1763830000002 extends IdempotencyKeys1763800000050 {
  override name = 'IdempotencyKeys1763830000002';
}
