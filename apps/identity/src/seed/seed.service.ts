import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER } from '@gov/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { demoTotpSecret } from '@gov/auth';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { hashPassword } from '../common/password';
import { Organisation } from '../organisations/organisation.entity';
import { User, UserRole } from '../users/user.entity';
import { ServiceClient } from '../auth/auth.entity';
import { UsersService } from '../users/users.service';
import { CaService } from '../ca/ca.service';
import { DEMO_APPLICANTS, DEMO_OFFICERS, DEMO_ORGS, DEMO_SEAL_ORGS, DEMO_SERVICE_CLIENTS, type DemoOrgKey } from './demo-data';

/**
 * Idempotent demo data: organisations, one officer per role (and more), applicants and service clients.
 * Officers' TOTP secrets are derived from their usernames (`demoTotpSecret` in @gov/auth) so tests can log in.
 * Never runs in production unless DEMO_SEED is set explicitly.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly ca: CaService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs before the service listens, so the demo users exist by the time it is reachable. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.DEMO_SEED) await this.run();
  }

  async run(): Promise<{ created: number }> {
    let created = 0;
    // Parents before children.
    const keys = Object.keys(DEMO_ORGS) as DemoOrgKey[];
    const ordered = [...keys].sort((a, b) => depth(a) - depth(b));
    for (const key of ordered) {
      const o = DEMO_ORGS[key];
      const res = await this.ds
        .createQueryBuilder()
        .insert()
        .into(Organisation)
        .values({ code: o.code, name: o.name, kind: o.kind, level: o.level, parentCode: o.parent ? DEMO_ORGS[o.parent].code : null, divisionCode: o.division })
        .orIgnore()
        .execute();
      created += (res.raw as unknown[]).length;
    }
    for (const officer of DEMO_OFFICERS) {
      let user = await this.ds.getRepository(User).findOneBy({ username: officer.username });
      if (!user) {
        const id = randomUUID();
        await this.ds
          .createQueryBuilder()
          .insert()
          .into(User)
          .values({
            id,
            username: officer.username,
            displayName: officer.displayName,
            kind: 'officer',
            passwordHash: await hashPassword(this.config.DEMO_PASSWORD, this.config.PASSWORD_SCRYPT_LOG2N),
            totpSecretEnc: this.users.encryptTotpSecret(id, demoTotpSecret(officer.username)),
          })
          .orIgnore()
          .execute();
        user = await this.ds.getRepository(User).findOneByOrFail({ username: officer.username });
        created++;
      }
      for (const [org, role] of officer.roles) {
        await this.ds.createQueryBuilder().insert().into(UserRole).values({ userId: user.id, orgCode: DEMO_ORGS[org].code, role }).orIgnore().execute();
      }
    }
    for (const a of DEMO_APPLICANTS) {
      const res = await this.ds
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({
          id: randomUUID(),
          username: a.username,
          displayName: a.displayName,
          kind: 'applicant',
          applicantKind: a.applicantKind,
          applicantId: a.applicantId,
          passwordHash: await hashPassword(this.config.DEMO_PASSWORD, this.config.PASSWORD_SCRYPT_LOG2N),
        })
        .orIgnore()
        .execute();
      created += (res.raw as unknown[]).length;
    }
    for (const c of DEMO_SERVICE_CLIENTS) {
      const exists = await this.ds.getRepository(ServiceClient).existsBy({ clientId: c.clientId });
      if (!exists) {
        await this.ds.createQueryBuilder().insert().into(ServiceClient).values({ clientId: c.clientId, name: c.name, secretHash: await hashPassword(this.config.DEMO_SERVICE_SECRET, 12) }).orIgnore().execute();
        created++;
      }
    }
    for (const key of DEMO_SEAL_ORGS) {
      const org = DEMO_ORGS[key];
      if (await this.ca.activeSeal(org.code)) continue;
      await this.ca.issue({ kind: 'seal', subject: `CN=${org.name}电子印章, O=${org.name}, 2.5.4.5=${org.code}, C=CN`, orgCode: org.code, validityDays: 730 });
      created++;
    }
    if (created > 0) this.logger.warn({ created }, 'demo seed applied (demo passwords and derived TOTP secrets: never enable DEMO_SEED in production)');
    return { created };
  }
}

function depth(key: DemoOrgKey): number {
  let d = 0;
  let parent: DemoOrgKey | null = DEMO_ORGS[key].parent;
  while (parent) {
    d++;
    parent = DEMO_ORGS[parent].parent;
  }
  return d;
}
