import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module';
import { UsersModule } from '../users/users.module';
import { SeedService } from './seed.service';

@Module({ imports: [UsersModule, CaModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
