import { LOGGER } from '@gov/service-kit';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { LicenceReuseController } from '../licences/licence-reuse.controller';
import { LicencesModule } from '../licences/licences.module';
import { MattersModule } from '../matters/matters.module';
import { MaterialsController } from './materials.controller';
import { MaterialsRepository } from './materials.repository';
import { MaterialsService } from './materials.service';
import { objectStoreProvider } from './object-store.provider';
import { PageCounter } from './pages/page-counter';

function pageCounterOf(config: IntakeConfig, logger: Logger): PageCounter {
  return new PageCounter({
    timeoutMs: config.MATERIALS_PAGE_COUNT_TIMEOUT_MS,
    maxOldSpaceMb: config.MATERIALS_PAGE_COUNT_MAX_MEMORY_MB,
    nice: config.MATERIALS_PAGE_COUNT_NICE,
    idleMs: config.MATERIALS_PAGE_COUNT_IDLE_MS,
    logger: logger.child({ component: 'page-counter' }),
  });
}

/**
 * Materials (申请材料): uploads per slot, the receipt's list, downloads, and the freeze at acceptance. Exports
 * `MaterialsService` (acceptance calls `freeze(manager, applicationId, reason, at)` in its accepting transaction;
 * notices read `receiptFor(applicationId)`).
 */
@Module({
  imports: [MattersModule, LicencesModule],
  controllers: [MaterialsController, LicenceReuseController],
  providers: [MaterialsRepository, MaterialsService, objectStoreProvider, { provide: PageCounter, useFactory: pageCounterOf, inject: [INTAKE_CONFIG, LOGGER] }],
  exports: [MaterialsService],
})
export class MaterialsModule {}
