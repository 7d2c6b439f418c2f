import { AuthModule } from '@gov/auth';
import { ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { CaseViewModule } from './case-view/case-view.module';
import { CasesModule } from './cases/cases.module';
import { APPROVAL_CONFIG, type ApprovalConfig } from './config';
import { DecisionsModule } from './decisions/decisions.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { EngineModule } from './engine/engine.module';
import { IncidentsModule } from './incidents/incidents.module';
import { FeesModule } from './fees/fees.module';
import { APPROVAL_ENTITIES } from './entities';
import { ApprovalMessagingModule } from './messaging/messaging.module';
import { OpinionsModule } from './opinions/opinions.module';
import { SigningModule } from './signing/signing.module';
import { StepsModule } from './steps/steps.module';
import { TaskActionsModule } from './task-actions/task-actions.module';
import { Clock, SystemClock } from './worklist/clock';
import { WorklistModule } from './worklist/worklist.module';

@Global()
@Module({})
class ApprovalConfigModule {
  static forRoot(config: ApprovalConfig, clock: Clock): DynamicModule {
    return {
      module: ApprovalConfigModule,
      providers: [
        { provide: APPROVAL_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [APPROVAL_CONFIG, Clock],
    };
  }
}

/** The approval service: cases on the engine, worklists, step completion with opinions, decisions. */
@Module({})
export class ApprovalModule {
  /** `clock`: the worklist's clock (lights, remaining days); tests pass one they move. */
  static forRoot(config: ApprovalConfig, logger: Logger, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ApprovalModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'approval', logger }),
        ApprovalConfigModule.forRoot(config, clock),
        AuthModule.forService(config, logger),
        TypeOrmModule.forRoot(dataSourceOptions(config, config.APPROVAL_DB, { entities: APPROVAL_ENTITIES })),
        ApprovalMessagingModule.forRoot(config),
        EngineModule.forRoot(config),
        OpinionsModule,
        CasesModule,
        WorklistModule,
        SigningModule,
        StepsModule,
        FeesModule,
        TaskActionsModule,
        DecisionsModule,
        DeploymentsModule,
        CaseViewModule,
        IncidentsModule,
      ],
    };
  }
}
