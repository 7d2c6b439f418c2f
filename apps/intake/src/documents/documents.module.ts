import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { LicencesModule } from '../licences/licences.module';
import { MattersModule } from '../matters/matters.module';
import { NoticesModule } from '../notices/notices.module';
import { PublicityModule } from '../publicity/publicity.module';
import { DecisionDocuments, DecisionEventsConsumer } from './decision-documents';
import { PaymentNotices, PaymentRequestsConsumer } from './payment-notices';

/**
 * The documents of approval's decisions (准予/不予许可决定书, the licence) and their publicity, from gov.approval.case.decided,
 * and the 缴费通知书 of its payment requests (gov.approval.fee.payment-requested).
 */
@Module({
  imports: [ApplicationsModule, MattersModule, NoticesModule, LicencesModule, PublicityModule],
  controllers: [DecisionEventsConsumer, PaymentRequestsConsumer],
  providers: [DecisionDocuments, PaymentNotices],
  exports: [DecisionDocuments],
})
export class DocumentsModule {}
