import { Module } from '@nestjs/common';
import { StepsModule } from '../steps/steps.module';
import { TalliesModule } from '../tallies/tallies.module';
import { ALERTS_ANCHORING } from './alerts-anchoring';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { CaseLightMonitor } from './case-light-monitor.service';
import { LightMonitor } from './light-monitor.service';

/** Lights and the alert ledger: the monitors that raise yellow and red (steps, whole cases), `GET /alerts`, `GET /alerts/verify`. */
@Module({ imports: [StepsModule, TalliesModule], controllers: [AlertsController], providers: [AlertsRepository, ...ALERTS_ANCHORING, LightMonitor, CaseLightMonitor], exports: [LightMonitor, CaseLightMonitor] })
export class AlertsModule {}
