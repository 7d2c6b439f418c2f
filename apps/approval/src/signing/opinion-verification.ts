import { X509Certificate } from 'node:crypto';
import { AppError } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { StoredOpinion } from '../worklist/opinions.repository';
import { OpinionsRepository } from '../worklist/opinions.repository';
import { IdentityCaClient } from './identity-ca.client';
import { OPINION_JWS_TYPE, type OpinionPayload, payloadMismatches } from './opinion-payload';

export interface OpinionVerification {
  opinionId: string;
  caseNumber: string;
  valid: boolean;
  /** Why it is not valid (empty when valid). */
  reasons: string[];
  signatureValid: boolean;
  /** The signer's certificate was issued by identity's issuing CA, which identity's root issued. */
  chainValid: boolean;
  signer: { serial: string; subject: string; notBefore: string; notAfter: string } | null;
  /** 'good' when the certificate was valid and not revoked at the opinion's time. */
  statusAtSigning: 'good' | 'revoked' | 'expired' | 'unknown';
  statusNow: 'good' | 'revoked' | 'expired' | 'unknown';
  payloadMatches: boolean;
  /** The certificate was issued to the officer recorded with the opinion (its subject's serialNumber). */
  certificateNamesSigner: boolean;
  /** The case's opinion chain verifies (content, links, positions, and the heads identity signed where anchored). */
  ledgerIntact: boolean;
  payload: OpinionPayload | null;
}

/** The user id identity puts in an officer certificate's subject (serialNumber, OID 2.5.4.5). */
export function subjectUserId(subject: string): string | null {
  for (const line of subject.split('\n')) {
    const m = /^(?:serialNumber|2\.5\.4\.5)=(.+)$/.exec(line.trim());
    if (m) return m[1].trim();
  }
  return null;
}

function der(b64: string): X509Certificate {
  return new X509Certificate(Buffer.from(b64, 'base64'));
}

/**
 * Checks a stored opinion's signature end to end: the JWS with its x5c leaf, the chain to identity's CA root, the
 * certificate's status at signing time and now (identity's status answer), the signed payload against the stored
 * opinion, and the case's ledger chain. Each failed check gives a reason; nothing throws for a tampered record.
 */
@Injectable()
export class OpinionVerifier {
  constructor(
    private readonly identity: IdentityCaClient,
    private readonly opinions: OpinionsRepository,
  ) {}

  async verify(o: StoredOpinion): Promise<OpinionVerification> {
    const reasons: string[] = [];
    const v: OpinionVerification = {
      opinionId: o.id,
      caseNumber: o.caseNumber,
      valid: false,
      reasons,
      signatureValid: false,
      chainValid: false,
      signer: null,
      statusAtSigning: 'unknown',
      statusNow: 'unknown',
      payloadMatches: false,
      certificateNamesSigner: false,
      ledgerIntact: false,
      payload: null,
    };
    const ledger = await this.opinions.verifyCase(o.caseNumber);
    v.ledgerIntact = ledger.ok;
    if (!ledger.ok) reasons.push(`the case's opinion chain is broken at seq ${ledger.firstBroken?.seq ?? '?'} (${ledger.firstBroken?.reason ?? 'unknown'}): ${ledger.firstBroken?.detail ?? ''}`.trim());
    if (!o.signature) {
      reasons.push('the opinion carries no signature (recorded before opinions were signed)');
      return v;
    }
    let leaf: X509Certificate;
    let chain: X509Certificate[];
    try {
      const header = decodeProtectedHeader(o.signature);
      if (header.alg !== 'ES256' || header.typ !== OPINION_JWS_TYPE) throw new Error(`unexpected header alg=${String(header.alg)} typ=${String(header.typ)}`);
      if (!Array.isArray(header.x5c) || header.x5c.length < 1) throw new Error('no x5c certificate chain');
      chain = header.x5c.map(der);
      leaf = chain[0];
    } catch (e) {
      reasons.push(`the signature is not a well-formed signed opinion: ${e instanceof Error ? e.message : String(e)}`);
      return v;
    }
    const serial = leaf.serialNumber.toUpperCase();
    v.signer = { serial, subject: leaf.subject, notBefore: new Date(leaf.validFrom).toISOString(), notAfter: new Date(leaf.validTo).toISOString() };
    if (o.signerSerial && o.signerSerial !== serial) reasons.push(`the stored signer serial ${o.signerSerial} is not the signing certificate's (${serial})`);
    // Real name (art. 9): the certificate must be the recorded officer's own, not any valid certificate of the CA.
    const certifiedOfficer = subjectUserId(leaf.subject);
    v.certificateNamesSigner = certifiedOfficer === o.officerId;
    if (!v.certificateNamesSigner) reasons.push(`the signing certificate was issued to ${certifiedOfficer ?? 'nobody named'}, not to the recorded officer ${o.officerId}`);

    try {
      const { payload } = await compactVerify(o.signature, leaf.publicKey, { algorithms: ['ES256'] });
      v.signatureValid = true;
      v.payload = JSON.parse(Buffer.from(payload).toString('utf8')) as OpinionPayload;
    } catch {
      reasons.push('the signature does not match the signed content (altered, or signed with another key)');
    }

    const ca = await this.identity.chain();
    const root = new X509Certificate(ca.root);
    const issuing = new X509Certificate(ca.issuing);
    v.chainValid = leaf.checkIssued(issuing) && leaf.verify(issuing.publicKey) && issuing.checkIssued(root) && issuing.verify(root.publicKey);
    if (!v.chainValid) reasons.push("the signing certificate does not chain to identity's CA root");

    const signedAt = o.createdAt.getTime();
    const within = (t: number) => new Date(leaf.validFrom).getTime() <= t && t <= new Date(leaf.validTo).getTime();
    try {
      const status = await this.identity.status(serial);
      const revokedAt = status.revokedAt ? new Date(status.revokedAt).getTime() : null;
      if (status.status === 'unknown') {
        v.statusAtSigning = 'unknown';
        v.statusNow = 'unknown';
      } else {
        v.statusAtSigning = !within(signedAt) ? 'expired' : revokedAt !== null && revokedAt <= signedAt ? 'revoked' : 'good';
        v.statusNow = status.status === 'revoked' ? 'revoked' : !within(Date.now()) ? 'expired' : 'good';
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      reasons.push(`identity could not be asked for the certificate's status: ${e.message}`);
    }
    if (v.statusAtSigning !== 'good') reasons.push(`the signing certificate was ${v.statusAtSigning === 'unknown' ? 'not known to identity' : v.statusAtSigning} when the opinion was signed`);

    if (v.payload) {
      const mismatches = payloadMismatches(v.payload, o);
      v.payloadMatches = mismatches.length === 0;
      if (!v.payloadMatches) reasons.push(`the stored opinion differs from what was signed: ${mismatches.join(', ')}`);
    }
    v.valid = reasons.length === 0 && v.signatureValid && v.chainValid && v.payloadMatches && v.certificateNamesSigner && v.ledgerIntact && v.statusAtSigning === 'good';
    return v;
  }
}
