import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({ imports: [OrganisationsModule], controllers: [UsersController], providers: [UsersRepository, UsersService], exports: [UsersService, UsersRepository] })
export class UsersModule {}
