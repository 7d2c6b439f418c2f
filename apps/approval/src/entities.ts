import { Case } from './cases/case.entity';
import { Decision, DocumentCounter } from './decisions/decision.entity';
import { FlowSubmission } from './deployments/flow-submission.entity';
import { EngineIncident } from './incidents/engine-incident.entity';
import { FeeDetermination, FeePayment, PaymentRequest } from './fees/fee.entities';
import { OfficerSigningKey } from './signing/officer-signing-key.entity';
import { PendingCompletion } from './steps/pending-completion.entity';
import { CaseActionRequest, CaseSuspension } from './task-actions/case-action.entities';
import { JointReviewRequest } from './worklist/joint-review-request.entity';
import { ClosedStep, OpenStep } from './worklist/open-step.entity';

/** Every table approval's own code maps. (opinions belong to the ledger library's repository.) */
export const APPROVAL_ENTITIES = [Case, Decision, DocumentCounter, PendingCompletion, FlowSubmission, CaseActionRequest, CaseSuspension, OfficerSigningKey, OpenStep, ClosedStep, EngineIncident, FeeDetermination, PaymentRequest, FeePayment, JointReviewRequest];
