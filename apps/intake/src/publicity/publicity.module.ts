import { Module } from '@nestjs/common';
import { PublicityController } from './publicity.controller';
import { PublicityRepository } from './publicity.repository';
import { PublicityService } from './publicity.service';

/** The public feed of decided cases (公示, seed 001 text 3 art. 21) and its publisher. */
@Module({
  controllers: [PublicityController],
  providers: [PublicityRepository, PublicityService],
  exports: [PublicityService],
})
export class PublicityModule {}
