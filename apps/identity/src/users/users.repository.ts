import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { User, UserRole } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly ds: DataSource) {}

  byUsername(username: string): Promise<User | null> {
    return this.ds.getRepository(User).findOneBy({ username });
  }

  byId(id: string): Promise<User | null> {
    return this.ds.getRepository(User).findOneBy({ id });
  }

  byApplicantId(applicantId: string): Promise<User | null> {
    return this.ds.getRepository(User).findOneBy({ applicantId });
  }

  roles(userId: string): Promise<UserRole[]> {
    return this.ds.getRepository(UserRole).findBy({ userId });
  }

  /** The roles of many users in one query. */
  rolesOf(userIds: string[]): Promise<UserRole[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(UserRole).findBy({ userId: In(userIds) });
  }

  async insert(user: Partial<User> & Pick<User, 'id' | 'username'>): Promise<void> {
    await this.ds.getRepository(User).insert(user);
  }

  async addRole(userId: string, orgCode: string, role: string): Promise<boolean> {
    const res = await this.ds.query<unknown[]>(
      `INSERT INTO user_roles (user_id, org_code, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id`,
      [userId, orgCode, role],
    );
    return res.length > 0;
  }

  async removeRole(userId: string, orgCode: string, role: string): Promise<boolean> {
    const res = await this.ds.getRepository(UserRole).delete({ userId, orgCode, role });
    return (res.affected ?? 0) > 0;
  }

  /** Counts a failure and locks the account once `max` is reached; returns the new state. */
  async recordFailure(userId: string, max: number, lockSeconds: number): Promise<{ failedLogins: number; lockedUntil: Date | null }> {
    const rows = await this.ds.query<[Array<{ failed_logins: number; locked_until: Date | null }>, number]>(
      `UPDATE users SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END,
              updated_at = now()
        WHERE id = $1 RETURNING failed_logins, locked_until`,
      [userId, max, lockSeconds],
    );
    const row = rows[0][0];
    return { failedLogins: row?.failed_logins ?? 0, lockedUntil: row?.locked_until ?? null };
  }

  /** Clears failures; when a TOTP step is given, accepts it only if newer than the last one (no code replay). */
  async recordSuccess(userId: string, totpStep?: number): Promise<boolean> {
    if (totpStep === undefined) {
      await this.ds.query(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)`, [userId]);
      return true;
    }
    const rows = await this.ds.query<[unknown[], number]>(
      `UPDATE users SET failed_logins = 0, locked_until = NULL, totp_last_step = $2
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [userId, totpStep],
    );
    return rows[0].length > 0;
  }

  async unlock(userId: string): Promise<void> {
    await this.ds.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`, [userId]);
  }

  async list(kind?: 'officer' | 'applicant'): Promise<User[]> {
    return this.ds.getRepository(User).find({ where: kind ? { kind } : {}, order: { username: 'ASC' }, take: 1000 });
  }
}
