import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RefreshToken, ServiceClient } from './auth.entity';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly ds: DataSource) {}

  /** Creates a refresh token (new family unless given) and returns its plaintext once. */
  async create(userId: string, ttlSeconds: number, familyId: string = randomUUID()): Promise<{ token: string; familyId: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.ds.getRepository(RefreshToken).insert({
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
    });
    return { token, familyId };
  }

  byToken(token: string): Promise<RefreshToken | null> {
    return this.ds.getRepository(RefreshToken).findOneBy({ tokenHash: hashRefreshToken(token) });
  }

  /** Atomically marks a token used; false if it was already used or revoked (a replay). */
  async claim(id: string): Promise<boolean> {
    const res = await this.ds.query<[unknown[], number]>(
      `UPDATE refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [id],
    );
    return res[0].length > 0;
  }

  async revokeFamily(familyId: string): Promise<number> {
    const res = await this.ds.query<[unknown[], number]>(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
    return res[1];
  }

  async revokeAllOfUser(userId: string): Promise<number> {
    const res = await this.ds.query<[unknown[], number]>(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    return res[1];
  }
}

@Injectable()
export class ServiceClientsRepository {
  constructor(private readonly ds: DataSource) {}

  byId(clientId: string): Promise<ServiceClient | null> {
    return this.ds.getRepository(ServiceClient).findOneBy({ clientId });
  }

  async upsert(client: Pick<ServiceClient, 'clientId' | 'secretHash' | 'name'>): Promise<void> {
    await this.ds.query(`INSERT INTO service_clients (client_id, secret_hash, name) VALUES ($1, $2, $3) ON CONFLICT (client_id) DO NOTHING`, [client.clientId, client.secretHash, client.name]);
  }
}
