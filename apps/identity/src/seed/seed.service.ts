import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER } from '@gov/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { demoTotpSecret } from '@gov/auth/testing';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { hashPassword } from '../common/password';
import { UsersService } from '../users/users.service';
import { CaService } from '../ca/ca.service';
import { SeedRepository } from './seed.repository';
import { DEMO_APPLICANTS, DEMO_OFFICERS, DEMO_ORGS, DEMO_SEAL_ORGS, DEMO_SERVICE_CLIENTS, type DemoOrgKey } from './demo-data';

/**
 * Idempotent demo data: organisations, one officer per role (and more), applicants and service clients.
 * Officers' TOTP secrets are derived from their usernames (`demoTotpSecret` in @gov/auth) so tests can log in.
 * Never runs in production unless DEMO_SEED is set explicitly.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  constructor(
    private readonly repo: SeedRepository,
    private readonly users: UsersService,
    private readonly ca: CaService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs before the service listens, so the demo users exist by the time it is reachable. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoSeed) await this.run();
  }

  async run(): Promise<{ created: number }> {
    let created = 0;
    const hash = () => hashPassword(this.config.DEMO_PASSWORD, this.config.PASSWORD_SCRYPT_LOG2N);
    // Parents before children.
    const ordered = (Object.keys(DEMO_ORGS) as DemoOrgKey[]).sort((a, b) => depth(a) - depth(b));
    for (const key of ordered) {
      const o = DEMO_ORGS[key];
      if (await this.repo.insertOrg({ code: o.code, name: o.name, kind: o.kind, level: o.level, parentCode: o.parent ? DEMO_ORGS[o.parent].code : null, divisionCode: o.division })) created++;
    }
    for (const officer of DEMO_OFFICERS) {
      let id = await this.repo.userId(officer.username);
      if (!id) {
        const newId = randomUUID();
        const totpSecretEnc = this.users.encryptTotpSecret(newId, demoTotpSecret(officer.username));
        if (await this.repo.insertUser({ id: newId, username: officer.username, displayName: officer.displayName, kind: 'officer', passwordHash: await hash(), totpSecretEnc })) created++;
        id = await this.repo.userId(officer.username);
      }
      if (!id) throw new Error(`demo officer ${officer.username} could not be created`);
      for (const [org, role] of officer.roles) await this.repo.insertRole(id, DEMO_ORGS[org].code, role);
    }
    for (const a of DEMO_APPLICANTS) {
      if (await this.repo.userId(a.username)) continue;
      const user = { id: randomUUID(), username: a.username, displayName: a.displayName, kind: 'applicant' as const, applicantKind: a.applicantKind, applicantId: a.applicantId, passwordHash: await hash() };
      if (await this.repo.insertUser(user)) created++;
    }
    for (const c of DEMO_SERVICE_CLIENTS) {
      if (await this.repo.clientExists(c.clientId)) continue;
      // Service secrets are long random values in real deployments, so a lower scrypt cost is enough.
      await this.repo.insertClient({ clientId: c.clientId, name: c.name, secretHash: await hashPassword(this.config.DEMO_SERVICE_SECRET, 12) });
      created++;
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
