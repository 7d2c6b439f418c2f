import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { ClockController } from './clock.controller';

/** The injectable supervision clock (moved forward by tests and demos through `POST /admin/clock/advance`). */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock): DynamicModule {
    return { module: ClockModule, controllers: [ClockController], providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
