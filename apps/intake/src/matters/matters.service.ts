import { Injectable } from '@nestjs/common';
import { IntakeErrors } from '../errors';
import { MatterDto } from './dtos/matter.dto';
import { MattersRepository } from './matters.repository';

/** The public matter catalogue: what can be applied for, who handles it, in how many working days. */
@Injectable()
export class MattersService {
  constructor(private readonly matters: MattersRepository) {}

  async list(): Promise<MatterDto[]> {
    return (await this.matters.listPublic()).map((m) => MatterDto.of(m));
  }

  async get(code: string): Promise<MatterDto> {
    const matter = await this.matters.findPublic(code);
    if (!matter) throw IntakeErrors.error('MatterNotFound', `Matter ${code} is not in the catalogue or no longer accepted; see GET /matters.`, { field: 'param.code' });
    return MatterDto.of(matter);
  }
}
