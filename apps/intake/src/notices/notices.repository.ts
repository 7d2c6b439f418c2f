import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Notice } from './notice.entity';

/** Every column but the PDF's bytes. */
const WITHOUT_PDF: Array<keyof Notice> = ['id', 'kind', 'applicationId', 'caseNumber', 'applicantId', 'departmentCode', 'sealOrgCode', 'sealOrgName', 'documentNumber', 'verificationCode', 'issuedAt', 'sha256', 'status', 'sealSerial', 'sealedAt', 'issueKey'];

@Injectable()
export class NoticesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Records a notice unless one with its issue key exists; says whether it did. */
  async insertIfAbsent(manager: EntityManager, notice: Notice): Promise<boolean> {
    const res = await manager.getRepository(Notice).createQueryBuilder().insert().values(notice as QueryDeepPartialEntity<Notice>).orIgnore().returning('id').execute();
    return (res.raw as unknown[]).length > 0;
  }

  byId(id: string): Promise<Notice | null> {
    return this.ds.getRepository(Notice).findOneBy({ id });
  }

  byIssueKey(issueKey: string, manager: EntityManager = this.ds.manager): Promise<Notice | null> {
    return manager.getRepository(Notice).findOneBy({ issueKey });
  }

  /** Notices of an application, without their PDFs. */
  listForApplication(applicationId: string): Promise<Notice[]> {
    return this.ds.getRepository(Notice).find({
      where: { applicationId },
      order: { issuedAt: 'ASC', id: 'ASC' },
      select: WITHOUT_PDF,
    });
  }

  listForCase(caseNumber: string): Promise<Notice[]> {
    return this.ds.getRepository(Notice).find({ where: { caseNumber }, order: { issuedAt: 'ASC', id: 'ASC' }, select: WITHOUT_PDF });
  }

  /** Notices by id, without their PDFs (the licence store shows each licence's document). */
  byIds(ids: readonly string[]): Promise<Notice[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.ds.getRepository(Notice).find({ where: { id: In([...ids]) }, select: WITHOUT_PDF });
  }

  /** Stores the rendered PDF once (a concurrent render of the same notice produced the same bytes). */
  async saveRendering(id: string, r: { pdf: Buffer; sha256: string; sealOrgCode: string; sealOrgName: string }): Promise<void> {
    await this.ds.query(`UPDATE notices SET pdf = $2, sha256 = $3, seal_org_code = $4, seal_org_name = $5 WHERE id = $1 AND pdf IS NULL AND status = 'sealing'`, [id, r.pdf, r.sha256, r.sealOrgCode, r.sealOrgName]);
  }

  /** Confirms the seal, once; says whether this call did. */
  async confirmSealed(manager: EntityManager, id: string, s: { sealSerial: string; sealJws: string; sealedAt: Date }): Promise<boolean> {
    const [rows] = await manager.query<[unknown[], number]>(
      `UPDATE notices SET status = 'sealed', seal_serial = $2, seal_jws = $3, sealed_at = $4, last_error = NULL WHERE id = $1 AND status = 'sealing' RETURNING id`,
      [id, s.sealSerial, s.sealJws, s.sealedAt],
    );
    return rows.length > 0;
  }

  async sealFailed(id: string, error: string, nextSealAt: Date): Promise<void> {
    await this.ds.query(`UPDATE notices SET seal_attempts = seal_attempts + 1, last_error = $2, next_seal_at = $3 WHERE id = $1 AND status = 'sealing'`, [id, error.slice(0, 1000), nextSealAt]);
  }

  /** Notices still to be sealed whose retry time has come. */
  async dueForSealing(now: Date, limit: number): Promise<string[]> {
    const rows = await this.ds.query<Array<{ id: string }>>(`SELECT id FROM notices WHERE status = 'sealing' AND next_seal_at <= $1 ORDER BY next_seal_at LIMIT $2`, [now, limit]);
    return rows.map((r) => r.id);
  }
}
