import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { DelegationController } from './delegation.controller';
import { DelegationRepository } from './delegation.repository';
import { DelegationService } from './delegation.service';

@Module({ imports: [UsersModule], controllers: [DelegationController], providers: [DelegationRepository, DelegationService], exports: [DelegationService] })
export class DelegationModule {}
