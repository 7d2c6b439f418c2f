import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { ProgressConsumer } from './progress.consumer';
import { ProgressController } from './progress.controller';
import { ProgressQueries } from './progress.queries';
import { ProgressRepository } from './progress.repository';

/** The applicant's progress view, fed by approval's and supervision's events. */
@Module({ imports: [ApplicationsModule], controllers: [ProgressController, ProgressConsumer], providers: [ProgressRepository, ProgressQueries] })
export class ProgressModule {}
