import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { recordMatterChange } from '../matters/catalogue/matter-changes';
import { MatterVersionsRepository } from '../matters/catalogue/matter-versions.repository';
import { MatterElementsSchema } from '../matters/matter-version';
import type { DemoMatter } from './demo-data';

/** Who the seed writes as, in the versions and the ledger. */
export const SEED_ACTOR = { subject: 'demo-seed', name: '演示数据' } as const;
/** Who the migration wrote the version 1 of a pre-version matter as. */
const MIGRATION_ACTOR = 'migration';

@Injectable()
export class SeedRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly versions: MatterVersionsRepository,
  ) {}

  /**
   * Puts a demo matter in force as its demo definition. A new version is published (and audited as `seeded`) when the
   * matter is absent, retired, has no version in force, or its version in force is one the seed or the migration
   * wrote and differs from the definition. A version officers published through the change procedure is left alone.
   * Replicas seeding at once serialise on the matter's row. Returns whether a version was written.
   */
  async putInForce(demo: DemoMatter): Promise<boolean> {
    const elements = MatterElementsSchema.parse(demo.elements);
    return this.ds.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['intake.demo-seed', demo.code]);
      const matter = await this.versions.lockMatter(manager, demo.code);
      if (matter?.active && matter.currentVersion !== null) {
        const current = await this.versions.find(demo.code, matter.currentVersion, manager);
        if (current && current.state === 'published') {
          if (current.draftedBy !== SEED_ACTOR.subject && current.draftedBy !== MIGRATION_ACTOR) return false;
          if (current.tenantId === demo.tenantId && isDeepStrictEqual(MatterElementsSchema.parse(current.elements), elements)) return false;
        }
      }
      if (!matter) await this.versions.insertMatter(manager, demo.code, demo.tenantId, elements);
      const version = (await this.versions.maxVersion(manager, demo.code)) + 1;
      const at = new Date();
      await this.versions.insertVersion(manager, {
        code: demo.code,
        version,
        tenantId: demo.tenantId,
        state: 'filed',
        elements,
        note: 'demo catalogue (DEMO_SEED)',
        draftedBy: SEED_ACTOR.subject,
        draftedByName: SEED_ACTOR.name,
        draftedAt: at,
      });
      const retired = await this.versions.publish(manager, demo.code, version, elements, at);
      await recordMatterChange(manager, { code: demo.code, version, action: 'seeded', actor: SEED_ACTOR.subject, actorLabel: SEED_ACTOR.name, at, details: { retired } });
      return true;
    });
  }
}
