import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { LOGGER } from '@gov/service-kit';
import { type KeyObject, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { type JSONWebKeySet, type JWK, type JWTVerifyGetKey, createLocalJWKSet } from 'jose';
import type { Logger } from 'pino';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { KeyEncryption } from '../common/kek';
import { KeysRepository } from './keys.repository';
import { SigningKey } from './signing-key.entity';

export const SIGNING_ALG = 'EdDSA';
const CACHE_MS = 2000;

/**
 * Ed25519 token signing keys with rotation. A new key is published KEY_PREPUBLISH_SECONDS before it signs, and a
 * retired key stays published for the longest token lifetime plus a margin, so rotation never fails a valid token.
 */
@Injectable()
export class KeysService implements OnModuleInit, OnModuleDestroy {
  private readonly kek: KeyEncryption;
  private activeCache?: { at: number; kid: string; key: KeyObject };
  private publishedCache?: { at: number; jwks: JSONWebKeySet; local: JWTVerifyGetKey };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: KeysRepository,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.kek = new KeyEncryption(config.kek);
  }

  async onModuleInit(): Promise<void> {
    await this.rotateIfDue();
    this.timer = setInterval(() => {
      this.rotateIfDue().catch((e: unknown) => this.logger.error({ err: e }, 'key rotation check failed'));
    }, 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Creates the first key, or a successor when the active key is older than KEY_ROTATION_SECONDS. */
  async rotateIfDue(now = new Date()): Promise<void> {
    await this.repo.rotate((keys) => {
      if (keys.length === 0) return { insert: this.newKey(now) };
      const pending = keys.find((k) => k.activatesAt > now);
      const active = keys.find((k) => k.activatesAt <= now);
      if (pending || !active) return {};
      if (now.getTime() - active.activatesAt.getTime() < this.config.KEY_ROTATION_SECONDS * 1000) return {};
      return this.plan(keys, now);
    });
    this.invalidate();
  }

  /** Forced rotation (administrator, or a suspected key compromise handled by a follow-up revocation). */
  async rotate(now = new Date()): Promise<{ kid: string; activatesAt: Date }> {
    const inserted = await this.repo.rotate((keys) => {
      if (keys.some((k) => k.activatesAt > now)) return {};
      return this.plan(keys, now);
    });
    this.invalidate();
    const pending = inserted ?? (await this.repo.all()).find((k) => k.activatesAt > now);
    if (!pending) throw new Error('rotation produced no pending key');
    this.logger.info({ kid: pending.kid, activatesAt: pending.activatesAt }, 'signing key rotation scheduled');
    return { kid: pending.kid, activatesAt: pending.activatesAt };
  }

  private plan(keys: SigningKey[], now: Date): { insert: SigningKey; retire: SigningKey[] } {
    const next = this.newKey(new Date(now.getTime() + this.config.KEY_PREPUBLISH_SECONDS * 1000));
    const graceMs = (this.config.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    const retire = keys
      .filter((k) => k.retiresAt === null)
      .map((k) => Object.assign(new SigningKey(), k, { retiresAt: next.activatesAt, publishUntil: new Date(next.activatesAt.getTime() + graceMs) }));
    return { insert: next, retire };
  }

  private newKey(activatesAt: Date): SigningKey {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kid = `${activatesAt.toISOString().slice(0, 10)}-${randomBytes(6).toString('hex')}`;
    const key = new SigningKey();
    key.kid = kid;
    key.alg = SIGNING_ALG;
    key.publicJwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: SIGNING_ALG, use: 'sig' };
    key.privateKeyEnc = this.kek.encrypt(privateKey.export({ format: 'pem', type: 'pkcs8' }), `signing-key:${kid}`);
    key.activatesAt = activatesAt;
    key.retiresAt = null;
    key.publishUntil = null;
    key.createdAt = new Date();
    return key;
  }

  private invalidate(): void {
    this.activeCache = undefined;
    this.publishedCache = undefined;
  }

  async signingKey(): Promise<{ kid: string; key: KeyObject }> {
    const now = Date.now();
    if (this.activeCache && now - this.activeCache.at < CACHE_MS) return this.activeCache;
    const row = await this.repo.active(new Date(now));
    if (!row) throw new Error('no active signing key');
    const key =
      this.activeCache?.kid === row.kid ? this.activeCache.key : createPrivateKey(this.kek.decrypt(row.privateKeyEnc, `signing-key:${row.kid}`));
    this.activeCache = { at: now, kid: row.kid, key };
    return this.activeCache;
  }

  async jwks(): Promise<JSONWebKeySet> {
    return (await this.publishedSet()).jwks;
  }

  private async publishedSet(): Promise<{ jwks: JSONWebKeySet; local: JWTVerifyGetKey }> {
    const now = Date.now();
    if (this.publishedCache && now - this.publishedCache.at < CACHE_MS) return this.publishedCache;
    const keys = await this.repo.published(new Date(now));
    const jwks = { keys: keys.map((k) => k.publicJwk as JWK) };
    this.publishedCache = { at: now, jwks, local: createLocalJWKSet(jwks) };
    return this.publishedCache;
  }

  /** In-process key lookup for identity's own guard (no HTTP round trip to itself). */
  keyResolver(): JWTVerifyGetKey {
    return async (header, token) => {
      const set = await this.publishedSet();
      return set.local(header, token);
    };
  }

  async listKeys(): Promise<Array<{ kid: string; alg: string; activatesAt: Date; retiresAt: Date | null; publishUntil: Date | null }>> {
    return (await this.repo.all()).map(({ kid, alg, activatesAt, retiresAt, publishUntil }) => ({ kid, alg, activatesAt, retiresAt, publishUntil }));
  }
}
