import { Module } from '@nestjs/common';
import { SeedService } from './seed.service';

/** Demo data for development and demos; none of it is in the migrations. */
@Module({ providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
