import { ApplicationHistory } from './applications/application-history.entity';
import { Application } from './applications/application.entity';
import { CaseNumberCounter } from './case-numbers/case-number-counter.entity';
import { MatterChange } from './matters/catalogue/matter-change.entity';
import { MatterVersionRow } from './matters/catalogue/matter-version.entity';
import { ApplicationMaterial } from './materials/material.entity';
import { MatterTemplate } from './matters/guide/matter-template.entity';
import { Matter } from './matters/matter.entity';
import { Licence, MaterialLicenceRef } from './licences/licence.entity';
import { Notice } from './notices/notice.entity';
import { PublicityEntry } from './publicity/publicity.entity';
import { Notification } from './notifications/notification.entity';

/** Every table intake's own migrations create has an entity here (the migrations test checks both ways). */
export const INTAKE_ENTITIES = [Matter, Application, CaseNumberCounter, Notice, Notification, MatterVersionRow, MatterChange, MatterTemplate, ApplicationMaterial, ApplicationHistory, ApplicationProgress, Consultation, Licence, MaterialLicenceRef, PublicityEntry];
import { ApplicationProgress } from './progress/progress.entity';
import { Consultation } from './consultations/consultation.entity';

/** Every table intake's own migrations create has an entity here (the migrations test checks both ways). */
