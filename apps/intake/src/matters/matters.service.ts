import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../errors';
import { MatterVersionsRepository, toMatterVersion } from './catalogue/matter-versions.repository';
import { MatterDto } from './dtos/matter.dto';
import type { MatterElements } from './matter-version';
import { MattersRepository } from './matters.repository';

/** The public matter catalogue: what can be applied for, who handles it, in how many working days. */
@Injectable()
export class MattersService {
  constructor(
    private readonly ds: DataSource,
    private readonly matters: MattersRepository,
    private readonly versions: MatterVersionsRepository,
  ) {}

  private async elementsOf(codes: string[]): Promise<Map<string, MatterElements>> {
    return new Map((await this.versions.publishedOf(this.ds.manager, codes)).map((v) => [v.code, toMatterVersion(v).elements]));
  }

  async list(): Promise<MatterDto[]> {
    const rows = await this.matters.listPublic();
    const elements = await this.elementsOf(rows.map((m) => m.code));
    return rows.map((m) => MatterDto.of(m, elements.get(m.code) ?? null));
  }

  async get(code: string): Promise<MatterDto> {
    const matter = await this.matters.findPublic(code);
    if (!matter) throw IntakeErrors.error('MatterNotFound', `Matter ${code} is not in the catalogue or no longer accepted; see GET /matters.`, { field: 'param.code' });
    const elements = await this.elementsOf([code]);
    return MatterDto.of(matter, elements.get(code) ?? null);
  }
}
