import { RateLimits1763800000060 } from '@gov/auth';
import { MessagingTables1763800000000, OutboxKeyIndex1763800000001, OutboxLease1764900000001 } from '@gov/messaging';
import { IdempotencyKeys1763800000050, IdempotencyKeysCreatedAt1763800000051 } from '@gov/service-kit';
import { SupervisionInitial1763800000300 } from './1763800000300-supervision-initial';
import { DeadlineProvisional1763800000301 } from './1763800000301-deadline-provisional';
import { AlertsLedger1763800000302 } from './1763800000302-alerts-ledger';
import { SupervisionClocks1764700000500 } from './1764700000500-supervision-clocks';
import { SUPSTATS_MIGRATIONS } from './supstats';

export const SUPERVISION_MIGRATIONS = [
  MessagingTables1763800000000,
  OutboxKeyIndex1763800000001,
  IdempotencyKeys1763800000050,
  IdempotencyKeysCreatedAt1763800000051,
  RateLimits1763800000060,
  SupervisionInitial1763800000300,
  DeadlineProvisional1763800000301,
  AlertsLedger1763800000302,
  SupervisionClocks1764700000500,
  ...SUPSTATS_MIGRATIONS,
  OutboxLease1764900000001,
];
