import { Module } from '@nestjs/common';
import { LicenceReuseController } from '../licences/licence-reuse.controller';
import { LicencesModule } from '../licences/licences.module';
import { MattersModule } from '../matters/matters.module';
import { MaterialsController } from './materials.controller';
import { MaterialsRepository } from './materials.repository';
import { MaterialsService } from './materials.service';
import { objectStoreProvider } from './object-store.provider';

/**
 * Materials (申请材料): uploads per slot, the receipt's list, downloads, and the freeze at acceptance. Exports
 * `MaterialsService` (acceptance calls `freeze(manager, applicationId, reason, at)` in its accepting transaction;
 * notices read `receiptFor(applicationId)`).
 */
@Module({
  imports: [MattersModule, LicencesModule],
  controllers: [MaterialsController, LicenceReuseController],
  providers: [MaterialsRepository, MaterialsService, objectStoreProvider],
  exports: [MaterialsService],
})
export class MaterialsModule {}
