import { Module } from '@nestjs/common';
import { StepsController } from './steps.controller';
import { StepsRepository } from './steps.repository';

/** Steps and their deadlines: `GET /cases/:caseNumber/steps`. (Step events are consumed in CasesModule.) */
@Module({ controllers: [StepsController], providers: [StepsRepository], exports: [StepsRepository] })
export class StepsModule {}
