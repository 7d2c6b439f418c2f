import { Module } from '@nestjs/common';
import { IngestionController } from './ingestion.controller';
import { IngestionRepository } from './ingestion.repository';
import { IngestionService } from './ingestion.service';

/** Ingestion of departments' own systems (issue 10 §8, seed 001 text 10): exchange records become platform events. */
@Module({ controllers: [IngestionController], providers: [IngestionRepository, IngestionService] })
export class IngestionModule {}
