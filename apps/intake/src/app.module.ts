import { AuthModule } from '@gov/auth';
import { InboxTransport } from '@gov/messaging';
import { SERVICE_TRANSPORTS, ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { ApplicationsModule } from './applications/applications.module';
import { CaseNumbersModule } from './case-numbers/case-numbers.module';
import { INTAKE_CONFIG, type IntakeConfig } from './config';
import { INTAKE_ENTITIES } from './entities';
import { EventsModule } from './events/events.module';
import { IntakeEvents } from './events/intake-events';
import { MaterialsModule } from './materials/materials.module';
import { MattersModule } from './matters/matters.module';
import { NoticesModule } from './notices/notices.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SeedModule } from './seed/seed.module';

@Global()
@Module({})
class IntakeConfigModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return { module: IntakeConfigModule, providers: [{ provide: INTAKE_CONFIG, useValue: config }], exports: [INTAKE_CONFIG] };
  }
}

/** The intake service: the matter catalogue, case numbers, applications and their events, the demo seed. */
@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig, logger: Logger): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'intake', logger }),
        IntakeConfigModule.forRoot(config),
        AuthModule.forService(config, logger),
        TypeOrmModule.forRoot(dataSourceOptions(config, config.INTAKE_DB, { entities: INTAKE_ENTITIES })),
        EventsModule,
        MattersModule,
        CaseNumbersModule,
        ApplicationsModule,
        NotificationsModule,
        NoticesModule,
        MaterialsModule,
        SeedModule,
      ],
      // The @OnEvent consumers (notifications/decision-notifications.ts), served by the inbox transport; none when
      // INTAKE_CONSUMERS is off (the default under NODE_ENV=test, so tests do not take the stack's events). Always
      // declared: the kit's lookup of an absent provider aborts the process (Nest's abortOnError) instead of throwing.
      providers: [
        {
          provide: SERVICE_TRANSPORTS,
          inject: [IntakeEvents],
          useFactory: (events: IntakeEvents) =>
            (config.INTAKE_CONSUMERS ?? (config.NODE_ENV === 'test' ? 'off' : 'on')) === 'on'
              ? [new InboxTransport({ messaging: events.messaging, groupPrefix: config.KAFKA_GROUP_PREFIX, fromBeginning: config.KAFKA_NEW_GROUP_FROM === 'earliest' })]
              : [],
        },
      ],
    };
  }
}
