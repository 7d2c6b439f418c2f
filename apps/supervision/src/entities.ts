import { AlertEntity } from './alerts/alert.entity';
import { CalendarOverrideRow } from './calendar/calendar-override.entity';
import { StepEntity } from './steps/step.entity';

/** Every table supervision's own migrations create, as entities (the migration drift check compares them). */
export const SUPERVISION_ENTITIES = [StepEntity, AlertEntity, CalendarOverrideRow];
