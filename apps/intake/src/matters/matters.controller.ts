import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@gov/service-kit';
import { Matter } from './matter.entity';
import { MattersRepository } from './matters.repository';

@ApiTags('matters')
@Controller('matters')
export class MattersController {
  constructor(private readonly matters: MattersRepository) {}

  // The matter catalogue and its service guides are public information (办事指南公开).
  @Public()
  @Get()
  @ApiOperation({ summary: 'List the active matters of the catalogue (事项目录)' })
  list(): Promise<Matter[]> {
    return this.matters.listActive();
  }
}
