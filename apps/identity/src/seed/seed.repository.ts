import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceClient } from '../auth/auth.entity';
import { Organisation } from '../organisations/organisation.entity';
import { User, UserRole } from '../users/user.entity';

/** Insert-if-absent writes for the demo seed (concurrent replicas seeding at once do not collide). */
@Injectable()
export class SeedRepository {
  constructor(private readonly ds: DataSource) {}

  async insertOrg(org: Omit<Organisation, 'createdAt'>): Promise<boolean> {
    const res = await this.ds.createQueryBuilder().insert().into(Organisation).values(org).orIgnore().execute();
    return (res.raw as unknown[]).length > 0;
  }

  userId(username: string): Promise<string | undefined> {
    return this.ds
      .getRepository(User)
      .findOneBy({ username })
      .then((u) => u?.id);
  }

  async insertUser(user: Partial<User> & Pick<User, 'id' | 'username'>): Promise<boolean> {
    const res = await this.ds.createQueryBuilder().insert().into(User).values(user).orIgnore().execute();
    return (res.raw as unknown[]).length > 0;
  }

  async insertRole(userId: string, orgCode: string, role: string): Promise<void> {
    await this.ds.createQueryBuilder().insert().into(UserRole).values({ userId, orgCode, role }).orIgnore().execute();
  }

  clientExists(clientId: string): Promise<boolean> {
    return this.ds.getRepository(ServiceClient).existsBy({ clientId });
  }

  async insertClient(client: Pick<ServiceClient, 'clientId' | 'name' | 'secretHash'>): Promise<void> {
    await this.ds.createQueryBuilder().insert().into(ServiceClient).values(client).orIgnore().execute();
  }
}
