import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SealedDocument } from './sealed-document.entity';

@Injectable()
export class SealsRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(doc: SealedDocument): Promise<void> {
    await this.ds.getRepository(SealedDocument).insert(doc);
  }

  byCode(documentCode: string): Promise<SealedDocument | null> {
    return this.ds.getRepository(SealedDocument).findOneBy({ documentCode });
  }

  byHash(sha256: string): Promise<SealedDocument[]> {
    return this.ds.getRepository(SealedDocument).find({ where: { sha256 }, order: { sealedAt: 'ASC' }, take: 20 });
  }
}
