import { LedgerLegacyHead } from '@gov/ledger';
import { AlertEntity } from './alerts/alert.entity';
import { CalendarOverrideRow } from './calendar/calendar-override.entity';
import { StepEntity } from './steps/step.entity';
import { SUPSTATS_ENTITIES } from './supstats.modules';

/** Every table supervision's own migrations create, as entities (the migration drift check compares them). */
export const SUPERVISION_ENTITIES = [StepEntity, AlertEntity, CalendarOverrideRow, LedgerLegacyHead, ...SUPSTATS_ENTITIES];
