import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module';
import { UsersModule } from '../users/users.module';
import { SeedRepository } from './seed.repository';
import { SeedService } from './seed.service';

@Module({ imports: [UsersModule, CaModule], providers: [SeedRepository, SeedService], exports: [SeedService] })
export class SeedModule {}
