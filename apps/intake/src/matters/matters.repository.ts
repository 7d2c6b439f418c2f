import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Matter } from './matter.entity';

@Injectable()
export class MattersRepository {
  constructor(private readonly ds: DataSource) {}

  /** A matter that is in the catalogue and still accepted; null otherwise. */
  findActive(code: string): Promise<Matter | null> {
    return this.ds.getRepository(Matter).findOne({ where: { code, active: true } });
  }

  listActive(): Promise<Matter[]> {
    return this.ds.getRepository(Matter).find({ where: { active: true }, order: { code: 'ASC' } });
  }

  /** A matter the public may see: active and not secret (涉密事项 never appear publicly). */
  findPublic(code: string): Promise<Matter | null> {
    return this.ds.getRepository(Matter).findOne({ where: { code, active: true, secret: false } });
  }

  listPublic(): Promise<Matter[]> {
    return this.ds.getRepository(Matter).find({ where: { active: true, secret: false }, order: { code: 'ASC' } });
  }
}
