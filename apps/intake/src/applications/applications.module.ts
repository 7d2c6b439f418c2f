import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module';
import { MattersModule } from '../matters/matters.module';
import { AcceptanceNotices } from '../acceptance/acceptance-notices';
import { BureauRules } from '../acceptance/bureau-rules';
import { MaterialsModule } from '../materials/materials.module';
import { NoticesModule } from '../notices/notices.module';
import { ApplicationQueries } from './application-queries';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { MatterLookup } from './matter-lookup';
import { ReceiveApplicationUseCase } from './receive-application.use-case';

/** Applications: receiving them (接件) with a case number, a receipt and an event, and following their progress. */
@Module({
  imports: [MattersModule, CaseNumbersModule, NoticesModule, MaterialsModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsRepository, ReceiveApplicationUseCase, ApplicationQueries, MatterLookup, BureauRules, AcceptanceNotices],
  exports: [ApplicationsRepository, MatterLookup, BureauRules, AcceptanceNotices],
})
export class ApplicationsModule {}
