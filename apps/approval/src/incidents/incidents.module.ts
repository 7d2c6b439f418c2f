import { Module } from '@nestjs/common';
import { EngineIncidentsRepository } from './engine-incidents.repository';
import { IncidentWatcher } from './incident-watcher';

/** Engine incidents: the watcher that reports each incident of the engine once, and its resolution. */
@Module({ providers: [EngineIncidentsRepository, IncidentWatcher], exports: [IncidentWatcher] })
export class IncidentsModule {}
