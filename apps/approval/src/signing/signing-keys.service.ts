import { X509Certificate, createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { type Principal, actingSubject } from '@gov/auth';
import { KeyEnvelope, KitErrors } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { CompactSign } from 'jose';
import { APPROVAL_CONFIG, type ApprovalConfig, DEV_SIGNING_KEY_KEK } from '../config';
import { ApprovalErrors } from '../errors';
import { IdentityCaClient } from './identity-ca.client';
import type { OfficerSigningKey } from './officer-signing-key.entity';
import { OPINION_JWS_TYPE, type OpinionPayload, canonicalPayload } from './opinion-payload';
import { SigningKeysRepository } from './signing-keys.repository';

export interface SignedOpinion {
  jws: string;
  signerSerial: string;
}

/** A key is not used this close to its certificate's end (a completion signed now is verified later). */
const EXPIRY_MARGIN_MS = 60_000;

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** The PEM certificates of a chain, in order. */
export function pemCertificates(chain: string): string[] {
  return chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Officers' opinion-signing keys: ES256 key pairs generated here, certified by identity's CA, kept encrypted under
 * SIGNING_KEY_KEK (bound to officer and serial). A key whose certificate expired or was revoked is retired and a new
 * one enrolled (on the officer's next completion, or by POST /signing-keys). Identity is called outside any
 * transaction.
 */
@Injectable()
export class SigningKeysService {
  private readonly envelope: KeyEnvelope;
  private readonly statusCache = new Map<string, { revoked: boolean; at: number }>();
  /** One enrolment per officer at a time in this process (concurrent first completions share it). */
  private readonly enrolling = new Map<string, Promise<OfficerSigningKey>>();

  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    private readonly repo: SigningKeysRepository,
    private readonly identity: IdentityCaClient,
  ) {
    this.envelope = KeyEnvelope.fromBase64(config.SIGNING_KEY_KEK ?? DEV_SIGNING_KEY_KEK);
  }

  /** Signs an opinion with the acting officer's key, enrolling one first when they have no usable key. */
  async sign(principal: Principal, payload: OpinionPayload, ownAuthorization?: string): Promise<SignedOpinion> {
    const key = await this.usableKey(principal, ownAuthorization);
    const chain = pemCertificates(key.certChainPem).map(pemBody);
    const jws = await new CompactSign(canonicalPayload(payload)).setProtectedHeader({ alg: 'ES256', typ: OPINION_JWS_TYPE, x5c: chain }).sign(this.privateKey(key));
    return { jws, signerSerial: key.certSerial };
  }

  /** The officer's live key if its certificate is valid and not revoked; otherwise it is retired and a new one enrolled. */
  async usableKey(principal: Principal, ownAuthorization?: string): Promise<OfficerSigningKey> {
    const officerId = actingSubject(principal);
    const live = await this.repo.live(officerId);
    if (live) {
      if (live.notAfter.getTime() - EXPIRY_MARGIN_MS <= Date.now()) await this.repo.retire(live.id, 'certificate expired');
      else if (await this.revoked(live.certSerial)) await this.repo.retire(live.id, 'certificate revoked');
      else return live;
    }
    const running = this.enrolling.get(officerId);
    if (running) return running;
    const enrolment = this.enrol(officerId, principal.actor ? undefined : ownAuthorization, { key: null, reason: null }).finally(() => this.enrolling.delete(officerId));
    this.enrolling.set(officerId, enrolment);
    return enrolment;
  }

  /**
   * POST /signing-keys: a new key for the officer (their own token), replacing the live one; a retry with the same
   * Idempotency-Key answers the key it enrolled.
   */
  async enrolExplicitly(principal: Principal, ownAuthorization: string | undefined, enrolment: { key: string; reason: string | null }): Promise<{ key: OfficerSigningKey; replayed: boolean }> {
    if (principal.actor) throw ApprovalErrors.error('DelegatedEnrolment', 'Enrol your signing key with your own token, not under delegation.');
    const earlier = await this.repo.byEnrolmentKey(principal.subject, enrolment.key);
    if (earlier) return { key: this.sameRequest(earlier, enrolment.reason), replayed: true };
    const key = await this.enrol(principal.subject, ownAuthorization, enrolment);
    // A concurrent request with the same key may have won: it must have been the same request.
    return { key: this.sameRequest(key, enrolment.reason), replayed: false };
  }

  private sameRequest(k: OfficerSigningKey, reason: string | null): OfficerSigningKey {
    if ((k.enrolmentReason ?? null) !== reason) {
      throw KitErrors.error('IdempotencyKeyReused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
    }
    return k;
  }

  current(officerId: string): Promise<OfficerSigningKey | null> {
    return this.repo.live(officerId);
  }

  private async enrol(officerId: string, ownAuthorization: string | undefined, enrolment: { key: string | null; reason: string | null }): Promise<OfficerSigningKey> {
    const enrolmentKey = enrolment.key;
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const [cert, chain] = await Promise.all([this.identity.issueOfficerCertificate(officerId, publicKey.export({ format: 'pem', type: 'spki' }).toString(), ownAuthorization), this.identity.chain()]);
    const leaf = new X509Certificate(cert.certificatePem);
    const serial = leaf.serialNumber.toUpperCase();
    const row: OfficerSigningKey = {
      id: randomUUID(),
      officerId,
      certSerial: serial,
      subject: cert.subject,
      certChainPem: `${cert.certificatePem.trim()}\n${chain.issuing.trim()}\n`,
      privateKeyEnc: this.envelope.encrypt(privateKey.export({ format: 'der', type: 'pkcs8' }), aad(officerId, serial)),
      notBefore: new Date(leaf.validFrom),
      notAfter: new Date(leaf.validTo),
      enrolmentKey,
      enrolmentReason: enrolment.reason,
      createdAt: new Date(),
      retiredAt: null,
      retiredReason: null,
    };
    // Every answer is the stored row (its enrolment time is the database's), so a request that won a race and the
    // retries or concurrent duplicates that lost it answer the same.
    if (enrolmentKey) {
      await this.repo.replace(row);
      const same = await this.repo.byEnrolmentKey(officerId, enrolmentKey);
      if (same) return same;
    } else if (await this.repo.addIfNone(row)) {
      return (await this.repo.live(officerId)) ?? row;
    }
    // Another enrolment (another replica, or a concurrent explicit one) won: use its key.
    const winner = await this.repo.live(officerId);
    if (!winner) throw ApprovalErrors.error('IdentityUnavailable', 'The signing key could not be enrolled; try again.');
    return winner;
  }

  private privateKey(k: OfficerSigningKey): KeyObject {
    return createPrivateKey({ key: this.envelope.decrypt(k.privateKeyEnc, aad(k.officerId, k.certSerial)), format: 'der', type: 'pkcs8' });
  }

  private async revoked(serial: string): Promise<boolean> {
    const cached = this.statusCache.get(serial);
    if (cached && Date.now() - cached.at < this.config.SIGNING_CERT_STATUS_CACHE_MS) return cached.revoked;
    const s = await this.identity.status(serial);
    const revoked = s.status !== 'good';
    this.statusCache.set(serial, { revoked, at: Date.now() });
    return revoked;
  }
}

function aad(officerId: string, serial: string): string {
  return `opinion-signing-key:${officerId}:${serial}`;
}
