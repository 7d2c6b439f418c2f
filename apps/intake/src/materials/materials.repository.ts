import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationMaterial } from './material.entity';

/** What materials need to know of an application (read from intake's applications table, nothing written there). */
export interface MaterialsApplication {
  id: string;
  caseNumber: string;
  matterCode: string;
  matterVersion: number;
  departmentCode: string;
  applicantId: string;
  status: string;
  /** When acceptance froze the materials (the one record of the freeze: `applications.materials_frozen_at`). */
  materialsFrozenAt: Date | null;
  /** Slot keys still owed under a 容缺 commitment. */
  owedSlots: string[];
}

@Injectable()
export class MaterialsRepository {
  constructor(private readonly ds: DataSource) {}

  async findApplication(
    ref: { by: 'id'; id: string } | { by: 'caseNumber'; caseNumber: string },
    manager: EntityManager = this.ds.manager,
  ): Promise<MaterialsApplication | null> {
    const where = ref.by === 'id' ? 'id = $1' : 'case_number = $1';
    const rows = await manager.query<MaterialsApplication[]>(
      `SELECT id, case_number AS "caseNumber", matter_code AS "matterCode", matter_version AS "matterVersion", department_code AS "departmentCode", applicant_id AS "applicantId",
              status, materials_frozen_at AS "materialsFrozenAt",
              ARRAY(SELECT d->>'key' FROM jsonb_array_elements(deferred_materials) d) AS "owedSlots"
       FROM applications WHERE ${where}`,
      [ref.by === 'id' ? ref.id : ref.caseNumber],
    );
    return rows[0] ?? null;
  }

  /**
   * Serialises uploads, removals and the freeze of one application for the rest of the transaction. The application
   * row is share-locked first (FOR KEY SHARE, what a material's foreign key takes anyway): acceptance locks the row
   * (FOR UPDATE) before it freezes, so an upload that took the advisory lock first and then waited for the row in its
   * insert would deadlock with it. In this order the upload waits for the acceptance, or the acceptance for the upload.
   */
  async lockApplication(manager: EntityManager, applicationId: string): Promise<void> {
    await manager.query('SELECT 1 FROM applications WHERE id = $1 FOR KEY SHARE', [applicationId]);
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`intake.materials:${applicationId}`]);
  }

  /** Records the freeze on the application (the first freeze stands); false when it was frozen already. */
  async markApplicationFrozen(manager: EntityManager, applicationId: string, at: Date): Promise<boolean> {
    const rows = await manager.query<unknown[]>('UPDATE applications SET materials_frozen_at = $2 WHERE id = $1 AND materials_frozen_at IS NULL RETURNING id', [
      applicationId,
      at,
    ]);
    return rows.length > 0;
  }

  async markFrozen(manager: EntityManager, applicationId: string): Promise<void> {
    await manager.query(`UPDATE application_materials SET state = 'frozen' WHERE application_id = $1 AND state = 'received'`, [applicationId]);
  }

  /** The files of an application that are not removed, in upload order. */
  active(applicationId: string, manager: EntityManager = this.ds.manager): Promise<ApplicationMaterial[]> {
    return manager
      .getRepository(ApplicationMaterial)
      .createQueryBuilder('m')
      .where('m.application_id = :applicationId', { applicationId })
      .andWhere(`m.state <> 'removed'`)
      .orderBy('m.uploaded_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .getMany();
  }

  findOne(applicationId: string, id: string): Promise<ApplicationMaterial | null> {
    return this.ds.getRepository(ApplicationMaterial).findOne({ where: { applicationId, id } });
  }

  async insert(manager: EntityManager, material: ApplicationMaterial): Promise<void> {
    const { application: _application, ...row } = material;
    await manager.getRepository(ApplicationMaterial).insert(row);
  }

  async markRemoved(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE application_materials SET state = 'removed', removed_at = $2 WHERE id = $1 AND state = 'received'`, [id, at]);
  }

  /** Whether any record (of any application, removed ones included) still points at the object. */
  async isReferenced(sha256: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>('SELECT 1 FROM application_materials WHERE sha256 = $1 LIMIT 1', [sha256]);
    return rows.length > 0;
  }
}
