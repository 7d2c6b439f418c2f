import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { makeEvent } from '@gov/contracts';
import {
  ANCHOR_OU,
  ANCHOR_TYP,
  type AnchorHead,
  type AnchorSource,
  type AnchorTrust,
  type CheckedAnchor,
  LedgerAnchorer,
  REANCHOR_TYP,
  type ReanchorStatement,
  type SignedAnchor,
  checkAnchor,
  reanchorCheck,
} from '@gov/ledger';
import { enqueueEvent } from '@gov/messaging';
import { type AppError, LOGGER } from '@gov/service-kit';
import { CompactSign } from 'jose';
import { randomUUID, webcrypto } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_LEDGER, AuditRepository, LEGACY_PARTITION, REANCHOR_ACTION, auditLedger } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { CaService } from '../ca/ca.service';
import { KeyEncryption } from '../common/kek';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { AnchorErrors } from './anchors.errors';
import { AnchorsRepository } from './anchors.repository';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const KEY_VALIDITY_DAYS = 3 * 365;

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/**
 * Ledger anchoring: identity signs chain heads (its own audit's and those services submit) with an anchoring key
 * certified by its issuing CA, keeps them (append-only) and publishes them on `platform.ledger-anchor.v1` through
 * the outbox. Verifiers check a chain against these heads, so rewriting a whole chain consistently is detected.
 */
@Injectable()
export class AnchorsService implements OnModuleInit, OnModuleDestroy {
  private readonly kek: KeyEncryption;
  private signer?: { key: webcrypto.CryptoKey; x5c: string[] };
  private anchorer?: LedgerAnchorer;

  constructor(
    private readonly repo: AnchorsRepository,
    private readonly ca: CaService,
    private readonly auditRepo: AuditRepository,
    private readonly audit: AuditService,
    private readonly ds: DataSource,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.kek = new KeyEncryption(config.kek);
  }

  async onModuleInit(): Promise<void> {
    this.audit.useAnchors({ anchors: this.source(), reanchors: reanchorCheck(async () => this.trust()) });
    this.anchorer = new LedgerAnchorer([{ ledger: auditLedger, db: this.ds }], (heads) => this.anchor(heads, 'identity'), {
      intervalMs: this.config.LEDGER_ANCHOR_INTERVAL_SECONDS * 1000,
      onError: (e) => this.logger.warn({ err: e }, 'anchoring the audit chains failed; next round retries'),
    });
    this.anchorer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.anchorer?.stop();
  }

  /** Anchors identity's own audit chains now (also what the interval does). */
  anchorAuditNow(): Promise<number> {
    return this.anchorer ? this.anchorer.anchorNow() : Promise.resolve(0);
  }

  trust(): AnchorTrust {
    return { issuingPem: this.ca.chain().issuing };
  }

  private async key(): Promise<{ key: webcrypto.CryptoKey; x5c: string[] }> {
    if (this.signer) return this.signer;
    let row = await this.repo.currentKey();
    if (!row) {
      const pair = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
      const { certPem, notAfter } = await this.ca.certifyPlatformKey({ commonName: 'ledger-anchoring', unit: ANCHOR_OU, publicKey: pair.publicKey, validityDays: KEY_VALIDITY_DAYS });
      const id = randomUUID();
      const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
      row = { id, certPem, privateKeyEnc: this.kek.encrypt(pkcs8, `ledger-anchor:${id}`), notAfter };
      await this.repo.insertKey(row);
    }
    const key = await webcrypto.subtle.importKey('pkcs8', this.kek.decrypt(row.privateKeyEnc, `ledger-anchor:${row.id}`), EC, false, ['sign']);
    this.signer = { key, x5c: [pemBody(row.certPem), pemBody(this.ca.chain().issuing)] };
    return this.signer;
  }

  private async sign(payload: unknown, typ: string): Promise<string> {
    const { key, x5c } = await this.key();
    return new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader({ alg: 'ES256', typ, x5c }).sign(key);
  }

  /**
   * Signs and keeps the submitted heads. A head already anchored is returned as it was; a different hash for an
   * anchored position is refused (409) and audited: the chain it belongs to was rewritten.
   */
  async anchor(heads: AnchorHead[], submittedBy: string): Promise<SignedAnchor[]> {
    const out: SignedAnchor[] = [];
    const conflicts: Array<{ head: AnchorHead; anchored: SignedAnchor }> = [];
    for (const h of heads) {
      // A position already anchored is answered from the store (resubmitting is the anchorers' normal case).
      const held = await this.repo.at(this.ds.manager, h);
      const result =
        held ??
        (await (async () => {
          const anchoredAt = new Date().toISOString();
          const signature = await this.sign({ ledger: h.ledger, partition: h.partition, seq: h.seq, hash: h.hash, anchoredAt }, ANCHOR_TYP);
          const signed: SignedAnchor = { ledger: h.ledger, partition: h.partition, seq: h.seq, hash: h.hash, anchoredAt, signature };
          return this.ds.transaction(async (em) => {
            if (await this.repo.insert(em, signed, submittedBy)) {
              await this.publish(em, signed);
              return signed;
            }
            return this.repo.at(em, h);
          });
        })());
      if (!result) continue;
      if (result.hash !== h.hash) conflicts.push({ head: h, anchored: result });
      else out.push(result);
    }
    if (conflicts.length > 0) {
      for (const c of conflicts) {
        await this.audit.record({ actor: submittedBy, action: 'ledger.anchor-conflict', target: `${c.head.ledger}/${c.head.partition}#${c.head.seq}`, outcome: 'failure', details: { submitted: c.head.hash, anchored: c.anchored.hash, anchoredAt: c.anchored.anchoredAt } });
      }
      throw AnchorErrors.error('AnchorConflict', 'A different head was already anchored at that position: the chain was rewritten.', { conflicts: conflicts.map((c) => ({ ...c.head, anchoredHash: c.anchored.hash })) });
    }
    return out;
  }

  private async publish(em: EntityManager, a: SignedAnchor): Promise<void> {
    const event = makeEvent({
      type: 'gov.platform.ledger.anchored',
      source: 'identity',
      subject: `${a.ledger}/${a.partition}`,
      data: { ledger: a.ledger, partition: a.partition, seq: a.seq, hash: a.hash, anchoredAt: a.anchoredAt, signature: a.signature },
    });
    await enqueueEvent(em, event, a.ledger);
  }

  latest(ledger: string, opts: { partition?: string; after?: string; limit: number }): Promise<SignedAnchor[]> {
    return this.repo.latest(ledger, opts);
  }

  /** identity's own verification reads its anchors directly (and still checks every signature). */
  source(): AnchorSource {
    const repo = this.repo;
    const trust = () => this.trust();
    return {
      async *latest(ledger: string, partition?: string): AsyncGenerator<CheckedAnchor[]> {
        let after = '';
        for (;;) {
          const page = await repo.latest(ledger, { partition, after, limit: 500 });
          yield await Promise.all(page.map((a) => checkAnchor(a, trust())));
          if (page.length < 500) return;
          after = page[page.length - 1].partition;
        }
      },
    };
  }

  /**
   * The repair path for a chain broken before the ledger fix: appends a signed, audited "chain re-anchored at N"
   * record to the broken chain (the legacy chain's acknowledgement goes to identity's chain). Old records are never
   * rewritten; verification then reports the break as acknowledged and verifies on from the re-anchor record.
   */
  async reanchorAudit(
    request: { reason: string; partition: string; seq: string },
    by: { subject: string; label: string; ip?: string | null; delegated: boolean },
  ): Promise<{ statement: ReanchorStatement; seq: string; chainSeq: string | null }> {
    const { reason } = request;
    // Every refused attempt is itself recorded (who, from where, what they named, why it was refused).
    const refuse = async (error: AppError, details: Record<string, unknown>): Promise<never> => {
      await this.audit.record({
        actor: by.subject,
        actorLabel: by.label,
        action: REANCHOR_ACTION,
        target: `${AUDIT_LEDGER}/${request.partition}#${request.seq}`,
        outcome: error.status === 403 ? 'denied' : 'failure',
        ip: by.ip ?? null,
        details: { refused: error.code, reason, ...details },
      });
      throw error;
    };
    if (by.delegated) {
      await refuse(AnchorErrors.error('ReanchorInPersonOnly', 'Re-anchoring the audit trail is done by a sysadmin in person, not under a delegation or an A/B post.'), {});
    }
    const verdict = await this.auditRepo.verify({ reanchors: reanchorCheck(async () => this.trust()) });
    const broken = verdict.firstBroken;
    if (!broken) return refuse(AnchorErrors.error('ChainIntact', 'The audit trail verifies: there is no break to acknowledge.'), {});
    if (broken.partition !== request.partition || broken.seq !== request.seq) {
      return refuse(
        AnchorErrors.error('BreakMismatch', `The first break of the audit trail is ${broken.partition}#${broken.seq}, not ${request.partition}#${request.seq}; verify again and name the break you checked.`, {
          firstBroken: { partition: broken.partition, seq: broken.seq, reason: broken.reason },
        }),
        { firstBroken: { partition: broken.partition, seq: broken.seq } },
      );
    }
    const legacy = broken.partition === LEGACY_PARTITION;
    const chain = legacy ? 'identity' : broken.partition;
    const record = await this.ds.transaction(async (em) => {
      // Under the chain's lock: the statement names the head the re-anchor record will follow.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [AUDIT_LEDGER, chain]);
      const head = legacy ? await this.auditRepo.legacyHead() : await this.auditRepo.head(chain);
      const statement: ReanchorStatement = { ledger: AUDIT_LEDGER, partition: broken.partition, seq: head?.seq ?? '0', hash: head?.hash ?? '', brokenAt: broken.seq, reason };
      const signature = await this.sign(statement, REANCHOR_TYP);
      const appended = await this.auditRepo.append(
        {
          actor: by.subject,
          actorLabel: by.label,
          action: REANCHOR_ACTION,
          target: `${AUDIT_LEDGER}/${broken.partition}#${broken.seq}`,
          outcome: 'success',
          ip: by.ip ?? null,
          service: chain,
          details: { reanchor: statement, acknowledges: { reason: broken.reason, detail: broken.detail }, signature },
        },
        em,
      );
      return { statement, seq: appended.seq, chainSeq: appended.chainSeq };
    });
    await this.anchorAuditNow().catch((e: unknown) => this.logger.warn({ err: e }, 'anchoring after a re-anchor failed; the next round retries'));
    return record;
  }
}
