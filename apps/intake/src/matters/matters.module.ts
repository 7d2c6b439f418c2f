import { Module } from '@nestjs/common';
import { MattersController } from './matters.controller';
import { MattersRepository } from './matters.repository';
import { MattersService } from './matters.service';

/** The matter catalogue (事项目录). */
@Module({ controllers: [MattersController], providers: [MattersRepository, MattersService], exports: [MattersRepository] })
export class MattersModule {}
