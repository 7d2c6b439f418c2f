import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { OpinionsModule } from '../opinions/opinions.module';
import { IdentityCaClient } from './identity-ca.client';
import { OpinionVerifier } from './opinion-verification';
import { SigningController } from './signing.controller';
import { SigningKeysRepository } from './signing-keys.repository';
import { SigningKeysService } from './signing-keys.service';

/** Real-name signed opinions: officers' signing keys (enrolment, current), signing, and verification. */
@Module({
  imports: [CasesModule, OpinionsModule],
  controllers: [SigningController],
  providers: [IdentityCaClient, SigningKeysRepository, SigningKeysService, OpinionVerifier],
  exports: [SigningKeysService],
})
export class SigningModule {}
