import { WorkerHost } from '@gov/workflow';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { FeesController } from './fees.controller';
import { FeesRepository } from './fees.repository';
import { PaymentGateway, WindowPaymentGateway } from './payment-gateway';
import { PaymentsService } from './payments.service';
import { RequestPaymentWorker } from './request-payment.worker';

@Injectable()
class FeeWorkers implements OnModuleInit {
  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    private readonly workers: WorkerHost,
    private readonly requestPayment: RequestPaymentWorker,
  ) {}

  onModuleInit(): void {
    this.workers.register({ topic: this.config.REQUEST_PAYMENT_TOPIC, lockDurationMs: this.config.WORKER_LOCK_MS, handler: (task) => this.requestPayment.handle(task) });
  }
}

/**
 * Fees (issue 9 §3; seed 001 text 3 art. 13, 19 (二), 20): the determinations the handlers' completions carry (their
 * repository, used by steps/), the payment-request worker, the window's payment confirmation behind `PaymentGateway`
 * (the window's implementation; a gateway adapter is not built) and its reconciler, and the case's fees view.
 */
@Module({
  imports: [CasesModule],
  controllers: [FeesController],
  providers: [FeesRepository, RequestPaymentWorker, FeeWorkers, PaymentsService, { provide: PaymentGateway, useClass: WindowPaymentGateway }],
  exports: [FeesRepository, PaymentsService],
})
export class FeesModule {}
