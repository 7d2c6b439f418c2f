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

  /** The licence, locked for the rest of the transaction. */
  lock(manager: EntityManager, licenceNumber: string): Promise<Licence | null> {
    return manager.getRepository(Licence).findOne({ where: { licenceNumber }, lock: { mode: 'pessimistic_write' } });
  }

  /** A case's licence, locked for the rest of the transaction (a revocation decision revokes it). */
  lockOfCase(manager: EntityManager, caseNumber: string): Promise<Licence | null> {
    return manager.getRepository(Licence).findOne({ where: { caseNumber }, lock: { mode: 'pessimistic_write' } });
  }

  /** Marks a licence revoked once; false when it already was (the first revocation stands). */
  async revoke(manager: EntityManager, licenceNumber: string, r: { at: Date; reason: string; legalBasis: string | null; documentNumber: string | null; by: string }): Promise<boolean> {
    // (a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count])
    const rows = await manager.query<unknown[]>(
      `WITH r AS (UPDATE licences SET revoked_at = $2, revocation_reason = $3, revocation_legal_basis = $4, revocation_document_number = $5, revoked_by = $6
        WHERE licence_number = $1 AND revoked_at IS NULL RETURNING licence_number) SELECT licence_number FROM r`,
      [licenceNumber, r.at, r.reason, r.legalBasis, r.documentNumber, r.by],
    );
    return rows.length > 0;
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
