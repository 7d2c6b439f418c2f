import { Module } from '@nestjs/common';
import { MattersModule } from '../matters/matters.module';
import { ConsultationSweeper } from './consultation-sweeper';
import { ConsultationsController, PublicConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

/** Consultations (咨询, issue 8 §5): questions about a matter, the department's answers and queue, the public FAQ. */
@Module({
  imports: [MattersModule],
  controllers: [ConsultationsController, PublicConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService, ConsultationSweeper],
  exports: [ConsultationSweeper],
})
export class ConsultationsModule {}
