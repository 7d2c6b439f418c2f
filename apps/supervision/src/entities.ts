import { LedgerLegacyHead } from '@gov/ledger';
import { AlertEntity } from './alerts/alert.entity';
import { CalendarOverrideRow } from './calendar/calendar-override.entity';
import { CaseEntity, CaseFactEntity, SuspensionEntity } from './cases/case.entity';
import { SupervisionOrderEntity } from './orders/supervision-order.entity';
import { RuleSettingEntity } from './rules/rule-setting.entity';
import { StepEntity } from './steps/step.entity';
import { AlertStreamEntity } from './stream/alert-stream.entity';
import { TallyFlagEntity } from './tallies/tally-flag.entity';
import { SUPSTATS_ENTITIES } from './supstats.modules';
import { ComplaintEscalationEntity } from './complaints/complaint.entity';
import { RuleDeadlineEntity } from './rules/rule-deadline.entity';

/** Every table supervision's own migrations create, as entities (the migration drift check compares them). */
export const SUPERVISION_ENTITIES = [
  StepEntity,
  AlertEntity,
  CalendarOverrideRow,
  LedgerLegacyHead,
  CaseEntity,
  SuspensionEntity,
  CaseFactEntity,
  AlertStreamEntity,
  RuleSettingEntity,
  TallyFlagEntity,
  SupervisionOrderEntity,
  ...SUPSTATS_ENTITIES,
  // round three (wt/supervision)
  RuleDeadlineEntity,
  ComplaintEscalationEntity,
];
