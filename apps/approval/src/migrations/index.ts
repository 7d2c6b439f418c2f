import { RateLimits1763800000060 } from '@gov/auth';
import { MessagingTables1763800000000, OutboxKeyIndex1763800000001, OutboxLease1764900000001 } from '@gov/messaging';
import { IdempotencyKeys1763800000050, IdempotencyKeysCreatedAt1763800000051 } from '@gov/service-kit';
import { ApprovalInitial1763800000200 } from './1763800000200-approval-initial';
import { PendingCompletions1763800000201 } from './1763800000201-pending-completions';
import { OpinionsLedger1763800000202 } from './1763800000202-opinions-ledger';
import { OpinionsByCase1764700000600 } from './1764700000600-opinions-by-case';
import { FlowPipeline1764700000800 } from './1764700000800-flow-pipeline';
import { CaseEndings1764700000250 } from './1764700000250-case-endings';
import { CaseActions1764800000100 } from './1764800000100-case-actions';
import { CaseStarts1764900000010 } from './1764900000010-case-starts';
import { InstanceCancellations1764900000011 } from './1764900000011-instance-cancellations';
import { SignedOpinions1764900000100 } from './1764900000100-signed-opinions';
import { OpenSteps1764900000200 } from './1764900000200-open-steps';
import { Fees1764900000500 } from './1764900000500-fees';
import { DecisionKinds1764900000600 } from './1764900000600-decision-kinds';
import { EngineIncidents1764900000700 } from './1764900000700-engine-incidents';
import { CaseReportsTo1764900000800 } from './1764900000800-case-reports-to';
import { CompletionActorGroups1764900000900 } from './1764900000900-completion-actor-groups';
import { CaseCoDepartments1764900001000 } from './1764900001000-case-co-departments';

export const APPROVAL_MIGRATIONS = [
  MessagingTables1763800000000,
  OutboxKeyIndex1763800000001,
  IdempotencyKeys1763800000050,
  IdempotencyKeysCreatedAt1763800000051,
  RateLimits1763800000060,
  ApprovalInitial1763800000200,
  PendingCompletions1763800000201,
  OpinionsLedger1763800000202,
  OpinionsByCase1764700000600,
  FlowPipeline1764700000800,
  CaseEndings1764700000250,
  CaseActions1764800000100,
  CaseStarts1764900000010,
  InstanceCancellations1764900000011,
  OutboxLease1764900000001,
  SignedOpinions1764900000100,
  OpenSteps1764900000200,
  Fees1764900000500,
  DecisionKinds1764900000600,
  EngineIncidents1764900000700,
  CaseReportsTo1764900000800,
  CompletionActorGroups1764900000900,
  CaseCoDepartments1764900001000,
];
