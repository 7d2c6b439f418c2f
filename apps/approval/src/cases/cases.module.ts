import { Module } from '@nestjs/common';
import { OpinionsModule } from '../opinions/opinions.module';
import { CasesController } from './cases.controller';
import { CaseStarter } from './case-starter';
import { CasesRepository } from './cases.repository';
import { InstanceCases } from './instance-cases';
import { StartCaseConsumer } from './start-case.controller';
import { StartCaseHandler } from './start-case.handler';

/** Cases: started from accepted applications, and the case view. */
@Module({
  imports: [OpinionsModule],
  controllers: [CasesController, StartCaseConsumer],
  providers: [CasesRepository, StartCaseHandler, CaseStarter, InstanceCases],
  exports: [CasesRepository, CaseStarter, InstanceCases],
})
export class CasesModule {}
