import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { WellKnownController } from './well-known.controller';

@Module({ imports: [KeysModule], controllers: [WellKnownController] })
export class WellKnownModule {}
