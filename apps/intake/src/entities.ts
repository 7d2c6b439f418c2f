import { Application } from './applications/application.entity';
import { CaseNumberCounter } from './case-numbers/case-number-counter.entity';
import { Matter } from './matters/matter.entity';
import { Notice } from './notices/notice.entity';
import { Notification } from './notifications/notification.entity';

/** Every table intake's own migrations create has an entity here (the migrations test checks both ways). */
export const INTAKE_ENTITIES = [Matter, Application, CaseNumberCounter, Notice, Notification];
