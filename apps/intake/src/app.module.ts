import { AuthModule } from '@gov/auth';
import { SERVICE_TRANSPORTS, ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { WorkingCalendar } from '@gov/calendar';
import { AcceptanceModule } from './acceptance/acceptance.module';
import { ApplicationsModule } from './applications/applications.module';
import { CaseNumbersModule } from './case-numbers/case-numbers.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { intakeRateLimits } from './consultations/rate-limits';
import { Clock, SystemClock } from './clock/clock';
import { INTAKE_CONFIG, type IntakeConfig } from './config';
import { INTAKE_ENTITIES } from './entities';
import { DocumentsModule } from './documents/documents.module';
import { EventsModule } from './events/events.module';
import { IntakeEvents } from './events/intake-events';
import { LicencesModule } from './licences/licences.module';
import { MaterialsModule } from './materials/materials.module';
import { MattersModule } from './matters/matters.module';
import { NoticesModule } from './notices/notices.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProgressModule } from './progress/progress.module';
import { PublicityModule } from './publicity/publicity.module';
import { SeedModule } from './seed/seed.module';

@Global()
@Module({})
class IntakeConfigModule {
  static forRoot(config: IntakeConfig, clock: Clock): DynamicModule {
    // Intake keeps no calendar override table: the published State Council schedule (see @gov/calendar).
    const providers = [
      { provide: INTAKE_CONFIG, useValue: config },
      { provide: Clock, useValue: clock },
      { provide: WorkingCalendar, useValue: new WorkingCalendar() },
    ];
    return { module: IntakeConfigModule, providers, exports: [INTAKE_CONFIG, Clock, WorkingCalendar] };
  }
}

/** The intake service: the matter catalogue, case numbers, applications and their events, the demo seed. */
@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig, logger: Logger, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'intake', logger }),
        IntakeConfigModule.forRoot(config, clock),
        AuthModule.forService(config, logger, intakeRateLimits(config)),
        TypeOrmModule.forRoot(dataSourceOptions(config, config.INTAKE_DB, { entities: INTAKE_ENTITIES })),
        EventsModule,
        MattersModule,
        CaseNumbersModule,
        ApplicationsModule,
        NotificationsModule,
        NoticesModule,
        MaterialsModule,
        AcceptanceModule,
        ConsultationsModule,
        ProgressModule,
        PublicityModule,
        LicencesModule,
        DocumentsModule,
        SeedModule,
      ],
      // The @OnEvent consumers (progress/progress.consumer.ts, documents/decision-documents.ts, notifications/suspension-notifications.ts), served by the
      // inbox transport; none when INTAKE_CONSUMERS is false (tests sharing the stack's topics). Always declared: the
      // kit's lookup of an absent provider aborts the process (Nest's abortOnError) instead of throwing.
      providers: [{ provide: SERVICE_TRANSPORTS, inject: [IntakeEvents], useFactory: (events: IntakeEvents) => events.transports() }],
    };
  }
}
