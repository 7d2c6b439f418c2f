import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@gov/service-kit';
import { type Principal, Role, base32Encode, totpUri } from '@gov/auth';
// The demo seed's officers get a TOTP secret derived from their username (never in production: the seed is off there).
import { demoTotpSecret } from '@gov/auth/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { ApplicantKind, isValidCreditCode, isValidResidentId } from '@gov/contracts';
import { KeyEncryption } from '../common/kek';
import { hashPassword } from '../common/password';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import type { CreateOfficerDto, RegisterApplicantDto, RoleGrantDto } from './dtos/user.dto';
import type { User } from './user.entity';
import { UsersRepository } from './users.repository';

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  kind: string;
  applicantKind: string | null;
  applicantId: string | null;
  locked: boolean;
  roles: Array<{ orgCode: string; role: string }>;
}

@Injectable()
export class UsersService {
  private readonly kek: KeyEncryption;

  constructor(
    private readonly repo: UsersRepository,
    private readonly orgs: OrganisationsRepository,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {
    this.kek = new KeyEncryption(config.kek);
  }

  async view(user: User): Promise<PublicUser> {
    return this.viewWith(user, await this.repo.roles(user.id));
  }

  private viewWith(user: User, roles: Array<{ orgCode: string; role: string }>): PublicUser {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      kind: user.kind,
      applicantKind: user.applicantKind,
      applicantId: user.applicantId,
      locked: user.lockedUntil !== null && user.lockedUntil > new Date(),
      roles: roles.map((r) => ({ orgCode: r.orgCode, role: r.role })),
    };
  }

  async me(p: Principal): Promise<PublicUser> {
    if (p.type === 'service') throw AppError.notFound('NotAUser', 'Service principals have no user record.');
    const user = await this.repo.byId(p.actor?.subject ?? p.subject);
    if (!user) throw AppError.notFound('UserNotFound', 'Your user record no longer exists.');
    return this.view(user);
  }

  async get(id: string): Promise<PublicUser> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw AppError.badRequest('InvalidUserId', 'A user id is a UUID.');
    const user = await this.repo.byId(id);
    if (!user) throw AppError.notFound('UserNotFound', `No user has the id ${id}.`);
    return this.view(user);
  }

  /** Two queries whatever the number of users: the users, then all their roles. */
  async list(kind?: 'officer' | 'applicant'): Promise<PublicUser[]> {
    const users = await this.repo.list(kind);
    const roles = await this.repo.rolesOf(users.map((u) => u.id));
    const byUser = new Map<string, Array<{ orgCode: string; role: string }>>();
    for (const r of roles) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
    return users.map((u) => this.viewWith(u, byUser.get(u.id) ?? []));
  }

  encryptTotpSecret(userId: string, secret: string): string {
    return this.kek.encrypt(secret, `totp:${userId}`);
  }

  decryptTotpSecret(user: User): string | undefined {
    return user.totpSecretEnc ? this.kek.decrypt(user.totpSecretEnc, `totp:${user.id}`).toString() : undefined;
  }

  /** Creates an officer and returns the TOTP enrolment (shown once). */
  async createOfficer(dto: CreateOfficerDto, opts: { demoTotp?: boolean } = {}): Promise<{ user: PublicUser; totpSecret: string; totpUri: string }> {
    if (await this.repo.byUsername(dto.username)) throw AppError.conflict('UsernameTaken', `The username ${dto.username} is taken.`);
    await this.assertOrgsExist(dto.roles);
    const id = randomUUID();
    const totpSecret = opts.demoTotp ? demoTotpSecret(dto.username) : base32Encode(randomBytes(20));
    await this.repo.insert({
      id,
      username: dto.username,
      displayName: dto.displayName,
      kind: 'officer',
      passwordHash: await hashPassword(dto.password, this.config.PASSWORD_SCRYPT_LOG2N),
      totpSecretEnc: this.encryptTotpSecret(id, totpSecret),
    });
    for (const r of dto.roles) await this.repo.addRole(id, r.orgCode, r.role);
    const user = await this.repo.byId(id);
    return { user: await this.view(user!), totpSecret, totpUri: totpUri(totpSecret, dto.username) };
  }

  async registerApplicant(dto: RegisterApplicantDto): Promise<PublicUser> {
    if (dto.applicantKind === ApplicantKind.Person && !isValidResidentId(dto.applicantId)) {
      throw AppError.badRequest('InvalidResidentId', 'applicantId is not a valid 18-digit resident ID: check the birth date and the last (check) character.');
    }
    if (dto.applicantKind === ApplicantKind.LegalEntity && !isValidCreditCode(dto.applicantId)) {
      throw AppError.badRequest('InvalidCreditCode', 'applicantId is not a valid unified social credit code: check the last (GB 32100 check) character.');
    }
    if (await this.repo.byUsername(dto.username)) throw AppError.conflict('UsernameTaken', `The username ${dto.username} is taken.`);
    if (await this.repo.byApplicantId(dto.applicantId)) throw AppError.conflict('ApplicantExists', 'An account for this ID already exists; log in or reset its password.');
    const id = randomUUID();
    await this.repo.insert({
      id,
      username: dto.username,
      displayName: dto.displayName,
      kind: 'applicant',
      applicantKind: dto.applicantKind,
      applicantId: dto.applicantId,
      passwordHash: await hashPassword(dto.password, this.config.PASSWORD_SCRYPT_LOG2N),
    });
    return this.view((await this.repo.byId(id))!);
  }

  async grantRole(userId: string, grant: RoleGrantDto): Promise<PublicUser> {
    const user = await this.repo.byId(userId);
    if (!user) throw AppError.notFound('UserNotFound', `No user has the id ${userId}.`);
    if (user.kind !== 'officer') throw AppError.badRequest('NotAnOfficer', 'Only officers hold roles at organisations.');
    await this.assertOrgsExist([grant]);
    await this.repo.addRole(userId, grant.orgCode, grant.role);
    return this.view(user);
  }

  async revokeRole(userId: string, grant: RoleGrantDto): Promise<PublicUser> {
    const user = await this.repo.byId(userId);
    if (!user) throw AppError.notFound('UserNotFound', `No user has the id ${userId}.`);
    await this.repo.removeRole(userId, grant.orgCode, grant.role);
    return this.view(user);
  }

  async unlock(userId: string): Promise<void> {
    const user = await this.repo.byId(userId);
    if (!user) throw AppError.notFound('UserNotFound', `No user has the id ${userId}.`);
    await this.repo.unlock(userId);
  }

  private async assertOrgsExist(grants: Array<{ orgCode: string; role: string }>): Promise<void> {
    const codes = [...new Set(grants.map((g) => g.orgCode))];
    const found = await this.orgs.byCodes(codes);
    const missing = codes.filter((c) => !found.some((o) => o.code === c));
    if (missing.length > 0) throw AppError.badRequest('OrganisationNotFound', `Unknown organisation code(s): ${missing.join(', ')}.`);
    if (grants.some((g) => g.role === Role.Applicant || g.role === Role.Service)) throw AppError.badRequest('InvalidRole', 'Officers cannot hold the applicant or service role.');
  }
}
