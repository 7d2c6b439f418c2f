import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module';
import { MattersModule } from '../matters/matters.module';
import { BureauRules } from '../acceptance/bureau-rules';
import { ApplicationQueries } from './application-queries';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';
import { MatterLookup } from './matter-lookup';
import { ReceiveApplicationUseCase } from './receive-application.use-case';

/** Applications: receiving them (接件) with a case number, a receipt and an event, and following their progress. */
@Module({
  imports: [MattersModule, CaseNumbersModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsRepository, ReceiveApplicationUseCase, ApplicationQueries, MatterLookup, BureauRules],
  exports: [ApplicationsRepository, MatterLookup, BureauRules],
})
export class ApplicationsModule {}
