import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull } from 'typeorm';
import { OrgMatterDelegation, Organisation } from './organisation.entity';

@Injectable()
export class OrganisationsRepository {
  constructor(private readonly ds: DataSource) {}

  all(): Promise<Organisation[]> {
    return this.ds.getRepository(Organisation).find({ order: { code: 'ASC' } });
  }

  byCode(code: string): Promise<Organisation | null> {
    return this.ds.getRepository(Organisation).findOneBy({ code });
  }

  byCodes(codes: string[]): Promise<Organisation[]> {
    return codes.length === 0 ? Promise.resolve([]) : this.ds.getRepository(Organisation).findBy({ code: In(codes) });
  }

  /** The organisations and everything below them in the tree. */
  async withDescendants(codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = await this.ds.query<Array<{ code: string }>>(
      `WITH RECURSIVE sub AS (
         SELECT code FROM organisations WHERE code = ANY($1)
         UNION SELECT o.code FROM organisations o JOIN sub ON o.parent_code = sub.code)
       SELECT code FROM sub ORDER BY code`,
      [codes],
    );
    return rows.map((r) => r.code);
  }

  async insert(org: Omit<Organisation, 'createdAt'>): Promise<void> {
    await this.ds.getRepository(Organisation).insert(org);
  }

  async addMatterDelegation(fromOrg: string, toOrg: string, matterCode: string): Promise<OrgMatterDelegation> {
    const repo = this.ds.getRepository(OrgMatterDelegation);
    const existing = await repo.findOneBy({ fromOrg, toOrg, matterCode });
    if (existing) {
      if (existing.revokedAt) await repo.update({ id: existing.id }, { revokedAt: null });
      return { ...existing, revokedAt: null };
    }
    const row = repo.create({ id: randomUUID(), fromOrg, toOrg, matterCode, revokedAt: null });
    await repo.insert(row);
    return row;
  }

  matterDelegations(orgCode: string): Promise<OrgMatterDelegation[]> {
    return this.ds.getRepository(OrgMatterDelegation).find({
      where: [
        { fromOrg: orgCode, revokedAt: IsNull() },
        { toOrg: orgCode, revokedAt: IsNull() },
      ],
    });
  }
}
