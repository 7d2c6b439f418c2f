import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Licence, MaterialLicenceRef } from './licence.entity';

@Injectable()
export class LicencesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Stores a case's licence once (a redelivered decision leaves the first). */
  async insertIfAbsent(manager: EntityManager, licence: Licence): Promise<boolean> {
    const res = await manager.getRepository(Licence).createQueryBuilder().insert().values(licence).orIgnore().returning('licence_number').execute();
    return (res.raw as unknown[]).length > 0;
  }

  byNumber(licenceNumber: string, manager: EntityManager = this.ds.manager): Promise<Licence | null> {
    return manager.getRepository(Licence).findOneBy({ licenceNumber });
  }

  byHolder(holderId: string): Promise<Licence[]> {
    return this.ds.getRepository(Licence).find({ where: { holderId }, order: { issuedAt: 'DESC', licenceNumber: 'ASC' }, take: 200 });
  }

  /** Meets a material slot with a licence (replacing an earlier reference for the slot). */
  async putReference(manager: EntityManager, ref: MaterialLicenceRef): Promise<void> {
    await manager
      .getRepository(MaterialLicenceRef)
      .createQueryBuilder()
      .insert()
      .values(ref)
      .orUpdate(['licence_number', 'slot_name', 'referenced_by', 'referenced_at'], ['application_id', 'slot_key'])
      .execute();
  }

  referencesOf(applicationId: string, manager: EntityManager = this.ds.manager): Promise<MaterialLicenceRef[]> {
    return manager.getRepository(MaterialLicenceRef).find({ where: { applicationId }, order: { slotKey: 'ASC' } });
  }
}
