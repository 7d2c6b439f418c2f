import { Injectable } from '@nestjs/common';
import { type Principal, Role } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { UsersRepository } from '../users/users.repository';
import { Delegation } from './delegation.entity';
import { DelegationRepository } from './delegation.repository';
import type { CreateDelegationDto } from './dtos/delegation.dto';

// Upper bounds: a 授权 covers an absence (leave, business trip); an AB岗 pairing is reviewed yearly.
const MAX_DAYS = { delegation: 31, ab_post: 366 } as const;
const DELEGATING_ROLES: readonly string[] = [Role.SectionChief, Role.Leader];

@Injectable()
export class DelegationService {
  constructor(
    private readonly repo: DelegationRepository,
    private readonly users: UsersRepository,
  ) {}

  async create(p: Principal, dto: CreateDelegationDto, manager?: EntityManager): Promise<Delegation> {
    if (p.actor) throw AppError.forbidden('AlreadyDelegated', 'A deputy cannot delegate further; the delegator must do it.');
    const startsAt = dto.startsAt ? new Date(dto.startsAt) : new Date();
    const endsAt = new Date(dto.endsAt);
    if (endsAt <= startsAt) throw AppError.badRequest('InvalidPeriod', 'endsAt must be after startsAt.');
    if (endsAt <= new Date()) throw AppError.badRequest('InvalidPeriod', 'endsAt is in the past.');
    const days = (endsAt.getTime() - startsAt.getTime()) / 86_400_000;
    if (days > MAX_DAYS[dto.mode]) throw AppError.badRequest('PeriodTooLong', `A ${dto.mode} may last at most ${MAX_DAYS[dto.mode]} days.`);

    const grants = await this.users.roles(p.subject);
    const held = new Set(grants.filter((g) => g.orgCode === dto.orgCode).map((g) => g.role));
    const missing = dto.roles.filter((r) => !held.has(r));
    if (missing.length > 0) throw AppError.forbidden('RoleNotHeld', `You do not hold ${missing.join(', ')} at ${dto.orgCode}, so you cannot delegate it.`);
    if (dto.mode === 'delegation' && ![...held].some((r) => DELEGATING_ROLES.includes(r))) {
      throw AppError.forbidden('NotAChief', 'Only a section chief or a leader can delegate (授权); use mode ab_post for a backup pairing.');
    }
    const deputy = await this.users.byUsername(dto.toUsername);
    if (!deputy || deputy.kind !== 'officer' || deputy.disabled) throw AppError.badRequest('DeputyNotFound', `${dto.toUsername} is not an active officer.`);
    if (deputy.id === p.subject) throw AppError.badRequest('SelfDelegation', 'You cannot delegate to yourself.');
    if (dto.mode === 'ab_post') {
      const deputyOrgs = new Set((await this.users.roles(deputy.id)).map((g) => g.orgCode));
      if (!deputyOrgs.has(dto.orgCode)) throw AppError.badRequest('DeputyOutsideOrganisation', 'An AB岗 backup must be an officer of the same organisation.');
    }
    const d = Object.assign(new Delegation(), {
      id: randomUUID(),
      fromUser: p.subject,
      toUser: deputy.id,
      orgCode: dto.orgCode,
      roles: [...new Set(dto.roles)],
      mode: dto.mode,
      startsAt,
      endsAt,
      reason: dto.reason,
      createdBy: p.subject,
      revokedAt: null,
    });
    await this.repo.insert(d, manager);
    return d;
  }

  activeFor(id: string, deputyId: string, now = new Date()): Promise<Delegation | null> {
    return this.repo.active(id, deputyId, now);
  }

  mine(p: Principal): Promise<Delegation[]> {
    return this.repo.involving(p.actor?.subject ?? p.subject);
  }

  async revoke(p: Principal, id: string): Promise<Delegation> {
    const d = await this.repo.byId(id);
    if (!d) throw AppError.notFound('DelegationNotFound', `No delegation has the id ${id}.`);
    if (d.fromUser !== p.subject && !p.roles.includes(Role.Sysadmin)) throw AppError.forbidden('NotYourDelegation', 'Only the delegator or an administrator can revoke a delegation.');
    await this.repo.revoke(id);
    return { ...d, revokedAt: new Date() };
  }
}
