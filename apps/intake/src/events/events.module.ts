import { Module } from '@nestjs/common';
import { IntakeEvents } from './intake-events';

/** Kafka: the outbox relay, readiness of the broker and the database. */
@Module({ providers: [IntakeEvents], exports: [IntakeEvents] })
export class EventsModule {}
