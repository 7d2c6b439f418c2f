import { Module } from '@nestjs/common';
import { MattersModule } from '../matters/matters.module';
import { SeedRepository } from './seed.repository';
import { SeedService } from './seed.service';

/** Demo data for development and test; none of it is in the migrations. */
@Module({ imports: [MattersModule], providers: [SeedRepository, SeedService], exports: [SeedService] })
export class SeedModule {}
