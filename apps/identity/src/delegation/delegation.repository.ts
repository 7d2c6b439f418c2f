import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { Delegation } from './delegation.entity';

@Injectable()
export class DelegationRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(d: Delegation, manager: EntityManager = this.ds.manager): Promise<void> {
    await manager.getRepository(Delegation).insert(d);
  }

  byId(id: string): Promise<Delegation | null> {
    return this.ds.getRepository(Delegation).findOneBy({ id });
  }

  active(id: string, toUser: string, now: Date): Promise<Delegation | null> {
    return this.ds.getRepository(Delegation).findOneBy({ id, toUser, revokedAt: IsNull(), startsAt: LessThanOrEqual(now), endsAt: MoreThan(now) });
  }

  involving(userId: string): Promise<Delegation[]> {
    return this.ds.getRepository(Delegation).find({ where: [{ fromUser: userId }, { toUser: userId }], order: { createdAt: 'DESC' }, take: 200 });
  }

  async revoke(id: string): Promise<boolean> {
    const res = await this.ds.getRepository(Delegation).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }
}
