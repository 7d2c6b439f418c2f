import { type ApplicationAcceptedData, type CloudEvent, TOPICS } from '@gov/contracts';
import { ServiceMessaging } from '@gov/messaging';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { StartCaseHandler } from './start-case.handler';

/** Subscribes the start-case handler to accepted applications (a Nest @EventPattern handler once the transport lands). */
@Injectable()
export class StartCaseConsumer implements OnModuleInit {
  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    private readonly messaging: ServiceMessaging,
    private readonly startCase: StartCaseHandler,
  ) {}

  onModuleInit(): void {
    if (!this.config.KAFKA_CONSUMERS) return;
    this.messaging.addConsumer(`${this.config.KAFKA_GROUP_PREFIX}approval.start-case`, [TOPICS.intakeApplication.name], {
      'gov.intake.application.accepted': (event, manager) => this.startCase.handle(event as CloudEvent<ApplicationAcceptedData>, manager),
    });
  }
}
