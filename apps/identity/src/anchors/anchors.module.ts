import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module';
import { AnchorsController } from './anchors.controller';
import { AnchorsRepository } from './anchors.repository';
import { AnchorsService } from './anchors.service';

/** Ledger anchoring: signed chain heads (identity's audit and the services' ledgers), the repair path. */
@Module({ imports: [CaModule], controllers: [AnchorsController], providers: [AnchorsRepository, AnchorsService], exports: [AnchorsService] })
export class AnchorsModule {}
