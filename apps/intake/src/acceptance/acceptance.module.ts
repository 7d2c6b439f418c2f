import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { CaseNumbersModule } from '../case-numbers/case-numbers.module';
import { MaterialsModule } from '../materials/materials.module';
import { AcceptanceController } from './acceptance.controller';
import { AcceptanceService } from './acceptance.service';
import { AcceptanceSweeper } from './acceptance-sweeper';
import { JointWindow } from './joint-window';

/** The acceptance regime: the window's decisions, correction, 容缺, withdrawal, and the clock-driven sweeper. */
@Module({
  imports: [ApplicationsModule, CaseNumbersModule, MaterialsModule],
  controllers: [AcceptanceController],
  providers: [AcceptanceService, AcceptanceSweeper, JointWindow],
  exports: [AcceptanceSweeper],
})
export class AcceptanceModule {}
