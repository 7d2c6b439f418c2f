import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DecisionsModule } from '../decisions/decisions.module';
import { OpinionsModule } from '../opinions/opinions.module';
import { TaskActionsModule } from '../task-actions/task-actions.module';
import { WorklistModule } from '../worklist/worklist.module';
import { CaseViewController } from './case-view.controller';

/** The officers' case view (issue 9 §2): diagram and position, opinions, actions, suspensions, documents, history. */
@Module({ imports: [CasesModule, OpinionsModule, TaskActionsModule, DecisionsModule, WorklistModule], controllers: [CaseViewController] })
export class CaseViewModule {}
