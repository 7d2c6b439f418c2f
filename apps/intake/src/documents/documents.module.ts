import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { LicencesModule } from '../licences/licences.module';
import { MattersModule } from '../matters/matters.module';
import { NoticesModule } from '../notices/notices.module';
import { PublicityModule } from '../publicity/publicity.module';
import { DecisionDocuments, DecisionEventsConsumer } from './decision-documents';

/** The documents of approval's decisions (准予/不予许可决定书, the licence) and their publicity, from gov.approval.case.decided. */
@Module({
  imports: [ApplicationsModule, MattersModule, NoticesModule, LicencesModule, PublicityModule],
  controllers: [DecisionEventsConsumer],
  providers: [DecisionDocuments],
  exports: [DecisionDocuments],
})
export class DocumentsModule {}
