import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { LicenceRevocations } from './licence-revocation.service';
import { LicencesController } from './licences.controller';
import { LicencesRepository } from './licences.repository';
import { LicencesService } from './licences.service';

/** The licence-and-approval sharing store (证照批文共享): licences intake issued, their status, and reads of them. */
@Module({
  imports: [NoticesModule],
  controllers: [LicencesController],
  providers: [LicencesRepository, LicencesService, LicenceRevocations],
  exports: [LicencesRepository, LicencesService, LicenceRevocations],
})
export class LicencesModule {}
