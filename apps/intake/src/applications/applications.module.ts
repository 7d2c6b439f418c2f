import { Module } from '@nestjs/common';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module';
import { MattersModule } from '../matters/matters.module';
import { AcceptApplicationUseCase } from './accept-application.use-case';
import { ApplicationQueries } from './application-queries';
import { ApplicationsController } from './applications.controller';
import { ApplicationsRepository } from './applications.repository';

/** Applications: accepting (受理) them with a case number and an event, and following their progress. */
@Module({
  imports: [MattersModule, CaseNumbersModule],
  controllers: [ApplicationsController],
  providers: [ApplicationsRepository, AcceptApplicationUseCase, ApplicationQueries],
})
export class ApplicationsModule {}
