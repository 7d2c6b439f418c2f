import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { AcceptanceController } from './acceptance.controller';
import { AcceptanceService } from './acceptance.service';
import { AcceptanceSweeper } from './acceptance-sweeper';

/** The acceptance regime: the window's decisions, correction, 容缺, withdrawal, and the clock-driven sweeper. */
@Module({
  imports: [ApplicationsModule],
  controllers: [AcceptanceController],
  providers: [AcceptanceService, AcceptanceSweeper],
  exports: [AcceptanceSweeper],
})
export class AcceptanceModule {}
