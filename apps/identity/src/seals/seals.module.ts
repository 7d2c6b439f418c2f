import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SealsController } from './seals.controller';
import { SealsRepository } from './seals.repository';
import { SealsService } from './seals.service';

@Module({ imports: [CaModule, OrganisationsModule], controllers: [SealsController], providers: [SealsRepository, SealsService] })
export class SealsModule {}
