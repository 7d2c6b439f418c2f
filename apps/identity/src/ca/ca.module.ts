import { Module } from '@nestjs/common';
import { IdentityAuthModule } from '../auth/identity-auth.module';
import { KeysModule } from '../keys/keys.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { UsersModule } from '../users/users.module';
import { CaController } from './ca.controller';
import { CaRepository } from './ca.repository';
import { CaService } from './ca.service';
import { CertificateLogin } from './certificate-login';

@Module({
  imports: [IdentityAuthModule, KeysModule, UsersModule, OrganisationsModule],
  controllers: [CaController],
  providers: [CaRepository, CaService, CertificateLogin],
  exports: [CaService],
})
export class CaModule {}
