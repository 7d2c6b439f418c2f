import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue/catalogue.controller';
import { ChangeProcedure } from './catalogue/change-procedure';
import { MatterCatalogue } from './catalogue/matter-catalogue';
import { MatterVersionsRepository } from './catalogue/matter-versions.repository';
import { GuideController } from './guide/guide.controller';
import { GuideRepository } from './guide/guide.repository';
import { GuideService } from './guide/guide.service';
import { MattersController } from './matters.controller';
import { MattersRepository } from './matters.repository';
import { MattersService } from './matters.service';

/** The matter catalogue (事项目录): its versions, the change procedure, the public guide. */
@Module({
  controllers: [MattersController, CatalogueController, GuideController],
  providers: [MattersRepository, MattersService, MatterVersionsRepository, MatterCatalogue, ChangeProcedure, GuideRepository, GuideService],
  exports: [MattersRepository, MatterVersionsRepository, MatterCatalogue],
})
export class MattersModule {}
