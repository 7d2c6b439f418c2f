import { Module } from '@nestjs/common';
import { DelegationModule } from '../delegation/delegation.module';
import { KeysModule } from '../keys/keys.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { RefreshTokensRepository, ServiceClientsRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { TokenService } from './token.service';

@Module({
  imports: [KeysModule, UsersModule, OrganisationsModule, DelegationModule],
  controllers: [AuthController],
  providers: [AuthService, TokenService, RefreshTokensRepository, ServiceClientsRepository],
  exports: [AuthService, TokenService, ServiceClientsRepository],
})
export class IdentityAuthModule {}
