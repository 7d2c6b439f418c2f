import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Matter } from '../matter.entity';
import { type MatterElements, MatterElementsSchema, type MatterVersion, type VersionState } from '../matter-version';
import { MatterChange, matterChangesLedger } from './matter-change.entity';
import { MatterVersionRow } from './matter-version.entity';

/** Open states: a version on its way to publication; a matter has at most one at a time. */
export const OPEN_STATES: readonly VersionState[] = ['draft', 'submitted', 'approved', 'filed'];

export function toMatterVersion(r: MatterVersionRow): MatterVersion {
  return {
    code: r.code,
    version: r.version,
    tenantId: r.tenantId,
    state: r.state,
    // Written through the schema; parsed again so a version stored before an element was added gets its default.
    elements: MatterElementsSchema.parse(r.elements),
    draftedBy: r.draftedBy,
    approvedBy: r.approvedBy,
    filedBy: r.filedBy,
    publishedAt: r.publishedAt,
  };
}

/** All SQL of the catalogue's versions. */
@Injectable()
export class MatterVersionsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /** The version in force: the matter's current version, if it is active and that version is published. */
  async published(code: string, manager?: EntityManager): Promise<MatterVersionRow | null> {
    return this.m(manager)
      .getRepository(MatterVersionRow)
      .createQueryBuilder('v')
      .innerJoin(Matter, 'm', 'm.code = v.code AND m.current_version = v.version AND m.active')
      .where('v.code = :code', { code })
      .andWhere(`v.state = 'published'`)
      .getOne();
  }

  find(code: string, version: number, manager?: EntityManager): Promise<MatterVersionRow | null> {
    return this.m(manager).getRepository(MatterVersionRow).findOne({ where: { code, version } });
  }

  /** Every version of a matter, newest first. */
  history(code: string): Promise<MatterVersionRow[]> {
    return this.ds.getRepository(MatterVersionRow).find({ where: { code }, order: { version: 'DESC' } });
  }

  /** Every published version in force (for the guide and the export), by code. */
  allPublished(manager?: EntityManager): Promise<MatterVersionRow[]> {
    return this.m(manager)
      .getRepository(MatterVersionRow)
      .createQueryBuilder('v')
      .innerJoin(Matter, 'm', 'm.code = v.code AND m.current_version = v.version AND m.active')
      .where(`v.state = 'published'`)
      .orderBy('v.code', 'ASC')
      .getMany();
  }

  /** The matter's change records in chain order, and whether its chain verifies. */
  async changes(code: string): Promise<{ items: MatterChange[]; chainIntact: boolean }> {
    const items = await this.ds.getRepository(MatterChange).find({ where: { chainPartition: code }, order: { chainSeq: 'ASC' } });
    const verdict = await matterChangesLedger.verify(this.ds, { partition: code });
    return { items, chainIntact: verdict.ok };
  }

  /** Locks the matter's catalogue row for the rest of the transaction (transitions of one matter run one at a time). */
  async lockMatter(manager: EntityManager, code: string): Promise<Matter | null> {
    return manager.getRepository(Matter).createQueryBuilder('m').setLock('pessimistic_write').where('m.code = :code', { code }).getOne();
  }

  async maxVersion(manager: EntityManager, code: string): Promise<number> {
    const rows = await manager.query<Array<{ v: number | null }>>('SELECT max(version) AS v FROM matter_versions WHERE code = $1', [code]);
    return rows[0]?.v ?? 0;
  }

  async openVersion(manager: EntityManager, code: string): Promise<MatterVersionRow | null> {
    return manager
      .getRepository(MatterVersionRow)
      .createQueryBuilder('v')
      .where('v.code = :code', { code })
      .andWhere('v.state IN (:...open)', { open: OPEN_STATES })
      .getOne();
  }

  /** The versions one import drafted, by code. */
  byImport(manager: EntityManager, importId: string): Promise<MatterVersionRow[]> {
    return manager.getRepository(MatterVersionRow).find({ where: { importId }, order: { code: 'ASC' } });
  }

  /** The catalogue rows of the given codes (for an import's checks), locked for the rest of the transaction. */
  async lockMatters(manager: EntityManager, codes: readonly string[]): Promise<Matter[]> {
    if (codes.length === 0) return [];
    return manager.getRepository(Matter).createQueryBuilder('m').setLock('pessimistic_write').where('m.code IN (:...codes)', { codes }).orderBy('m.code').getMany();
  }

  /** The open version of each of the given matters. */
  openVersions(manager: EntityManager, codes: readonly string[]): Promise<MatterVersionRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return manager.getRepository(MatterVersionRow).createQueryBuilder('v').where('v.code IN (:...codes)', { codes }).andWhere('v.state IN (:...open)', { open: OPEN_STATES }).getMany();
  }

  /** The published version in force of each of the given matters. */
  publishedOf(manager: EntityManager, codes: readonly string[]): Promise<MatterVersionRow[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(MatterVersionRow)
      .createQueryBuilder('v')
      .innerJoin(Matter, 'm', 'm.code = v.code AND m.current_version = v.version AND m.active')
      .where('v.code IN (:...codes)', { codes })
      .andWhere(`v.state = 'published'`)
      .getMany();
  }

  /** Creates the catalogue entry of a new matter, inactive until its first version is published. */
  async insertMatter(manager: EntityManager, code: string, tenantId: string, e: MatterElements): Promise<void> {
    await manager.getRepository(Matter).insert({ code, tenantId, ...summary(e), active: false, currentVersion: null });
  }

  async insertVersion(manager: EntityManager, row: Partial<MatterVersionRow> & Pick<MatterVersionRow, 'code' | 'version' | 'tenantId' | 'state' | 'elements' | 'draftedBy' | 'draftedByName' | 'draftedAt'>): Promise<void> {
    // jsonb elements: TypeORM's deep-partial type does not see through Record<string, unknown>.
    await manager.getRepository(MatterVersionRow).insert(row as QueryDeepPartialEntity<MatterVersionRow>);
  }

  async updateVersion(manager: EntityManager, code: string, version: number, patch: Partial<MatterVersionRow>): Promise<void> {
    await manager.getRepository(MatterVersionRow).update({ code, version }, patch as QueryDeepPartialEntity<MatterVersionRow>);
  }

  /** Puts a version in force: the catalogue row takes its summary and number; the one it replaces is retired. */
  async publish(manager: EntityManager, code: string, version: number, e: MatterElements, at: Date): Promise<number | null> {
    const previous = await manager.query<Array<{ version: number }>>(
      // (a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count])
      `WITH r AS (UPDATE matter_versions SET state = 'retired', retired_at = $3 WHERE code = $1 AND state = 'published' AND version <> $2 RETURNING version) SELECT version FROM r`,
      [code, version, at],
    );
    await manager.getRepository(MatterVersionRow).update({ code, version }, { state: 'published', publishedAt: at });
    await manager.getRepository(Matter).update({ code }, { ...summary(e), active: true, currentVersion: version });
    return previous[0]?.version ?? null;
  }
}

/** The denormalised summary the catalogue row carries for the version in force (GET /matters, acceptance). */
export function summary(e: MatterElements): Pick<Matter, 'name' | 'kind' | 'departmentCode' | 'processKey' | 'timeLimitWorkingDays' | 'legalBasis' | 'secret'> {
  return {
    secret: e.secret,
    name: e.name,
    kind: e.kind,
    departmentCode: e.departmentCode,
    processKey: e.processKey,
    timeLimitWorkingDays: e.promisedWorkingDays,
    legalBasis: e.legalBasis.join('；'),
  };
}
