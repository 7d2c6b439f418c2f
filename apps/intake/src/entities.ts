import { ApplicationHistory } from './applications/application-history.entity';
import { Application } from './applications/application.entity';
import { CaseNumberCounter } from './case-numbers/case-number-counter.entity';
import { Matter } from './matters/matter.entity';
import { ApplicationProgress } from './progress/progress.entity';

/** Every table intake's own migrations create has an entity here (the migrations test checks both ways). */
export const INTAKE_ENTITIES = [Matter, Application, CaseNumberCounter, ApplicationHistory, ApplicationProgress];
