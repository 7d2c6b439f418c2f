import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { IntakeErrors } from '../errors';
import { Application } from './application.entity';

/**
 * The one check the materials module needs from acceptance (seed 001 text 3 art. 11: "申请一经受理,其报件材料不得再行
 * 补正、替换"): may a material still be added to or replaced in this application's slot? Before acceptance, yes
 * (received, correction requested, corrected). From acceptance on, no (409 MaterialsFrozen), except a slot promised
 * under a 容缺 commitment while it is still outstanding. Closed applications (refused, withdrawn, ...) take nothing.
 * Pass the caller's transaction manager to check under its lock.
 */
@Injectable()
export class MaterialsFreeze {
  constructor(private readonly ds: DataSource) {}

  async assertOpen(applicationId: string, slotKey: string, manager: EntityManager = this.ds.manager): Promise<void> {
    const app = await manager.getRepository(Application).findOne({ where: { id: applicationId } });
    if (!app) throw IntakeErrors.error('ApplicationNotFound', `No application ${applicationId}.`);
    switch (app.status) {
      case 'received':
      case 'correction-requested':
      case 'corrected':
        return;
      case 'accepted-with-missing':
        if (app.deferredMaterials.some((m) => m.key === slotKey)) return;
        throw IntakeErrors.error('MaterialsFrozen', `Application ${app.caseNumber} is accepted: only the materials promised under its 容缺 commitment (${app.deferredMaterials.map((m) => m.key).join(', ')}) may still be handed in (seed 001 text 3, art. 11).`);
      case 'accepted':
      case 'decided':
        throw IntakeErrors.error('MaterialsFrozen', `Application ${app.caseNumber} is accepted: its materials are frozen and cannot be replaced or added to (seed 001 text 3, art. 11); ask to withdraw it instead.`);
      case 'refused':
      case 'withdrawn':
      case 'terminated':
        throw IntakeErrors.error('ApplicationStateConflict', `Application ${app.caseNumber} is ${app.status}: it takes no more materials.`);
    }
  }
}
