import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module';
import { EngineIncidentEventsController } from './engine-incident-events.controller';

/** Engine incidents approval reports, as anomalies of rule `engine-incident` (raised, then closed when resolved). */
@Module({ imports: [RulesModule], controllers: [EngineIncidentEventsController] })
export class IncidentsModule {}
