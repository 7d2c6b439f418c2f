import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SealedDocument } from './sealed-document.entity';

@Injectable()
export class SealsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Inserts unless the document code is taken (a concurrent seal of the same code); says whether it did. */
  async insertIfAbsent(doc: SealedDocument): Promise<boolean> {
    const res = await this.ds.getRepository(SealedDocument).createQueryBuilder().insert().values(doc).orIgnore().returning('id').execute();
    return (res.raw as unknown[]).length > 0;
  }

  byCode(documentCode: string): Promise<SealedDocument | null> {
    return this.ds.getRepository(SealedDocument).findOneBy({ documentCode });
  }

  byHash(sha256: string): Promise<SealedDocument[]> {
    return this.ds.getRepository(SealedDocument).find({ where: { sha256 }, order: { sealedAt: 'ASC' }, take: 20 });
  }
}
