import { RateLimits1763800000060 } from '@gov/auth';
import { MessagingTables1763800000000, OutboxKeyIndex1763800000001, OutboxLease1764900000001 } from '@gov/messaging';
import { IdempotencyKeys1763800000050, IdempotencyKeysCreatedAt1763800000051 } from '@gov/service-kit';
import { IntakeInitial1763800000100 } from './1763800000100-intake-initial';
import { ApplicationDepartment1763800000101 } from './1763800000101-application-department';
import { NoticesAndNotifications1764700000400 } from './1764700000400-notices-and-notifications';
import { MatterVersions1764700000100 } from './1764700000100-matter-versions';
import { MatterSecret1764700000101 } from './1764700000101-matter-secret';
import { MatterVersionImport1764700000102 } from './1764700000102-matter-version-import';
import { MatterTemplates1764700000103 } from './1764700000103-matter-templates';
import { ApplicationMaterials1764700000300 } from './1764700000300-application-materials';
import { OneMaterialsFreeze1764700000900 } from './1764700000900-one-materials-freeze';
import { MaterialPages1764800000300 } from './1764800000300-material-pages';
import { DocumentsLicencesPublicity1764900000400 } from './1764900000400-documents-licences-publicity';
import { PaymentNotices1764900000500 } from './1764900000500-payment-notices';

export const INTAKE_MIGRATIONS = [MessagingTables1763800000000, OutboxKeyIndex1763800000001, IdempotencyKeys1763800000050, IdempotencyKeysCreatedAt1763800000051, RateLimits1763800000060, IntakeInitial1763800000100, ApplicationDepartment1763800000101, MatterVersions1764700000100, MatterSecret1764700000101, MatterVersionImport1764700000102, MatterTemplates1764700000103, AcceptanceRegime1764700000200, JointWindow1764700000201, ApplicationMaterials1764700000300, NoticesAndNotifications1764700000400, OneMaterialsFreeze1764700000900, Consultations1764700000950, MaterialPages1764800000300, OutboxLease1764900000001, DocumentsLicencesPublicity1764900000400, PaymentNotices1764900000500, DecisionKinds1764900000600];
import { AcceptanceRegime1764700000200 } from './1764700000200-acceptance-regime';
import { JointWindow1764700000201 } from './1764700000201-joint-window';
import { Consultations1764700000950 } from './1764700000950-consultations';
import { DecisionKinds1764900000600 } from './1764900000600-decision-kinds';

