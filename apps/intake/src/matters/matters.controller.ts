import { ApiErrors, Public } from '@gov/service-kit';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { IntakeErrors } from '../errors';
import { MatterDto } from './dtos/matter.dto';
import { MATTER_CODE_RULE, MatterCodePipe } from './matter-code';
import { MattersService } from './matters.service';

// The matter catalogue and its service guides are public information (办事指南公开).
@ApiTags('matters')
@Controller('matters')
export class MattersController {
  constructor(private readonly matters: MattersService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List the active matters of the catalogue (事项目录)' })
  @ApiOkResponse({ type: MatterDto, isArray: true })
  list(): Promise<MatterDto[]> {
    return this.matters.list();
  }

  @Public()
  @Get(':code')
  @ApiOperation({ summary: 'One active matter of the catalogue (办事指南)' })
  @ApiParam({ name: 'code', description: MATTER_CODE_RULE })
  @ApiOkResponse({ type: MatterDto })
  @ApiErrors(IntakeErrors, 'InvalidMatterCode', 'InvalidText', 'MatterNotFound')
  get(@Param('code', new MatterCodePipe()) code: string): Promise<MatterDto> {
    return this.matters.get(code);
  }
}
