import { Module } from '@nestjs/common';
import { TalliesController } from './tallies.controller';
import { TalliesService } from './tallies.service';

/** Annual red tallies and their flags: `GET /tallies/:year`. */
@Module({ controllers: [TalliesController], providers: [TalliesService], exports: [TalliesService] })
export class TalliesModule {}
