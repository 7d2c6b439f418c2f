import { Global, Module } from '@nestjs/common';
import { AlertStreamController } from './alert-stream.controller';
import { AlertStreamRepository } from './alert-stream.repository';
import { DeadLetterWatcher } from './dead-letter-watcher.service';

/** The alert stream: `GET /alerts/stream` (SSE), `GET /alerts/stream/entries`, the repository every producer appends to, and the dead-letter watcher. */
@Global()
@Module({ controllers: [AlertStreamController], providers: [AlertStreamRepository, DeadLetterWatcher], exports: [AlertStreamRepository, DeadLetterWatcher] })
export class StreamModule {}
