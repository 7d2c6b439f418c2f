import { Module } from '@nestjs/common';
// The repository stays in worklist/ for now (the ledger library rewrites it; it moves at merge time).
import { OpinionsRepository } from '../worklist/opinions.repository';
import { OpinionsController } from './opinions.controller';

/** Officers' opinions: the append-only, hash-chained record, and its verification. */
@Module({ controllers: [OpinionsController], providers: [OpinionsRepository], exports: [OpinionsRepository] })
export class OpinionsModule {}
