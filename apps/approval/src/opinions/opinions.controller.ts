import { Authenticated, Role } from '@gov/auth';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OpinionsRepository } from '../worklist/opinions.repository';

@ApiTags('opinions')
@Controller('opinions')
export class OpinionsController {
  constructor(private readonly opinions: OpinionsRepository) {}

  @Get('verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'Verify the hash chain of all opinions (detects edits made around the triggers)' })
  async verify(): Promise<{ intact: boolean; firstBroken: string | null }> {
    const firstBroken = await this.opinions.verifyChain();
    return { intact: firstBroken === null, firstBroken };
  }
}
