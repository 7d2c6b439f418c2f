import { Module } from '@nestjs/common';
import { CaseNumbersRepository } from './case-numbers.repository';

/** Case numbers (办件编号): `<tenant>-<yyyymmdd>-<seq>`, gap-free per tenant and day. */
@Module({ providers: [CaseNumbersRepository], exports: [CaseNumbersRepository] })
export class CaseNumbersModule {}
