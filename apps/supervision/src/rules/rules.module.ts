import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CasesRepository } from '../cases/cases.repository';
import { StepsModule } from '../steps/steps.module';
import { RuleDeadlinesRepository } from './rule-deadlines.repository';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';

/** Anomaly rules (异常预警): event rules and deadline rules (with their time scan), and `GET /anomaly-rules`, `PUT /anomaly-rules/:rule/settings/:orgCode`. */
@Module({ imports: [StepsModule, CalendarModule], controllers: [RulesController], providers: [RulesService, CasesRepository, RuleDeadlinesRepository], exports: [RulesService] })
export class RulesModule {}
