import { Module } from '@nestjs/common';
import { CatalogueImport } from './catalogue/catalogue-import';
import { CatalogueIoController } from './catalogue/catalogue-io.controller';
import { CatalogueController } from './catalogue/catalogue.controller';
import { ChangeProcedure } from './catalogue/change-procedure';
import { MatterCatalogue } from './catalogue/matter-catalogue';
import { MatterVersionsRepository } from './catalogue/matter-versions.repository';
import { GuideController } from './guide/guide.controller';
import { GuideRepository } from './guide/guide.repository';
import { GuideService } from './guide/guide.service';
import { TemplateStore } from './guide/template-store';
import { TemplatesController } from './guide/templates.controller';
import { MattersController } from './matters.controller';
import { MattersRepository } from './matters.repository';
import { MattersService } from './matters.service';

/** The matter catalogue (事项目录): its versions, the change procedure, the public guide. */
@Module({
  controllers: [MattersController, CatalogueIoController, CatalogueController, TemplatesController, GuideController],
  providers: [MattersRepository, MattersService, MatterVersionsRepository, MatterCatalogue, ChangeProcedure, GuideRepository, GuideService, CatalogueImport, TemplateStore],
  exports: [MattersRepository, MatterVersionsRepository, MatterCatalogue],
})
export class MattersModule {}
