import { WorkerHost } from '@gov/workflow';
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { OpinionsModule } from '../opinions/opinions.module';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { DecisionsRepository } from './decisions.repository';
import { EndCaseConsumer } from './end-case.controller';
import { EndCaseHandler } from './end-case.handler';
import { IssueDecisionWorker } from './issue-decision.worker';

@Injectable()
class DecisionWorkers implements OnModuleInit {
  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    private readonly workers: WorkerHost,
    private readonly issueDecision: IssueDecisionWorker,
  ) {}

  onModuleInit(): void {
    this.workers.register({ topic: this.config.ISSUE_DECISION_TOPIC, lockDurationMs: this.config.WORKER_LOCK_MS, handler: (task) => this.issueDecision.handle(task) });
  }
}

/** Issuing decisions: the external-task worker of the flows' system step; ending cases withdrawn or terminated at intake. */
@Module({ imports: [CasesModule, OpinionsModule], controllers: [EndCaseConsumer], providers: [DecisionsRepository, IssueDecisionWorker, DecisionWorkers, EndCaseHandler], exports: [DecisionsRepository] })
export class DecisionsModule {}
