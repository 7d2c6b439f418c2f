import { OutboxLease1764900000001 } from '@gov/messaging';
import { Init1763830000000 } from './1763830000000-init';
import { AuditAppendOnly1763830000001 } from './1763830000001-audit-append-only';
import { IdempotencyKeys1763830000002 } from './1763830000002-idempotency-keys';
import { AuditLedger1763830000004 } from './1763830000004-audit-ledger';
import { IdempotencyKeysCreatedAt1763830000051 } from './1763830000051-idempotency-created-at';
import { PlatformAudit1763830000052 } from './1763830000052-platform-audit';
import { ApplicantKindSpelling1763830000500 } from './1763830000500-applicant-kind-spelling';

export const IDENTITY_MIGRATIONS = [Init1763830000000, AuditAppendOnly1763830000001, IdempotencyKeys1763830000002, AuditLedger1763830000004, IdempotencyKeysCreatedAt1763830000051, PlatformAudit1763830000052, ApplicantKindSpelling1763830000500, OutboxLease1764900000001];
