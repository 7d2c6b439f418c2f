import { Injectable } from '@nestjs/common';
import { OrgScope, type Principal, Role, actingSubject, actorLabel } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import { createHash, randomUUID } from 'node:crypto';
import { CaService } from '../ca/ca.service';
import { OrganisationsService } from '../organisations/organisations.service';
import type { SealDocumentDto } from './dtos/seal.dto';
import { SealedDocument } from './sealed-document.entity';
import { SealsRepository } from './seals.repository';

export const SEAL_JWS_TYPE = 'seal+jws';
const SEALING_ROLES: readonly string[] = [Role.Leader, Role.SectionChief, Role.WindowClerk, Role.Service];

export interface SealPayload {
  doc: string;
  sha256: string;
  org: string;
  orgName: string;
  seal: string;
  sealedBy: string;
  sealedByLabel: string;
  sealedAt: string;
  title?: string;
}

export interface DocumentVerification {
  documentCode: string;
  sealedBy: { orgCode: string; orgName: string; sealSerial: string; person: string };
  sealedAt: string;
  sha256: string;
  signatureValid: boolean;
  certificateStatus: 'good' | 'revoked' | 'unknown';
  /** null when no content or hash was given to compare. */
  intact: boolean | null;
  problem?: string;
}

function sha256Of(base64: string): string {
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

@Injectable()
export class SealsService {
  constructor(
    private readonly ca: CaService,
    private readonly orgs: OrganisationsService,
    private readonly repo: SealsRepository,
  ) {}

  /** Seals a document with its department's electronic seal. Idempotent for the same code and content. */
  async seal(p: Principal, dto: SealDocumentDto): Promise<{ documentCode: string; sha256: string; sealSerial: string; sealedAt: string; jws: string }> {
    if (!p.roles.some((r) => SEALING_ROLES.includes(r))) throw AppError.forbidden('InsufficientRole', 'Sealing needs a leader, section chief, window clerk or service role.');
    OrgScope.assertCanActOn(p, { orgCode: dto.orgCode });
    if (!dto.contentBase64 === !dto.sha256) throw AppError.badRequest('ContentOrHash', 'Give exactly one of contentBase64 or sha256.');
    const sha256 = dto.contentBase64 ? sha256Of(dto.contentBase64) : dto.sha256!;
    const existing = await this.repo.byCode(dto.documentCode);
    if (existing) return this.sameOrConflict(existing, dto.orgCode, sha256);
    const org = await this.orgs.get(dto.orgCode);
    const cert = await this.ca.activeSeal(org.code);
    if (!cert) throw AppError.unprocessable('NoActiveSeal', `${org.name} has no valid electronic seal certificate (issued, not revoked, not expired).`);
    const sealedAt = new Date();
    const payload: SealPayload = {
      doc: dto.documentCode,
      sha256,
      org: org.code,
      orgName: org.name,
      seal: cert.serial,
      sealedBy: actingSubject(p),
      sealedByLabel: actorLabel(p),
      sealedAt: sealedAt.toISOString(),
      ...(dto.title ? { title: dto.title } : {}),
    };
    const jws = await this.ca.signWithSeal(cert, Buffer.from(JSON.stringify(payload)), SEAL_JWS_TYPE);
    const inserted = await this.repo.insertIfAbsent(
      Object.assign(new SealedDocument(), { id: randomUUID(), documentCode: dto.documentCode, sha256, orgCode: org.code, certSerial: cert.serial, sealedBy: payload.sealedBy, sealedByLabel: payload.sealedByLabel, sealedAt, jws }),
    );
    if (!inserted) {
      // A concurrent request sealed the same code first: the same content is a replay, other content a 409.
      const winner = await this.repo.byCode(dto.documentCode);
      if (!winner) throw AppError.conflict('DocumentCodeTaken', `Document ${dto.documentCode} is being sealed by another request; retry.`);
      return this.sameOrConflict(winner, dto.orgCode, sha256);
    }
    return { documentCode: dto.documentCode, sha256, sealSerial: cert.serial, sealedAt: payload.sealedAt, jws };
  }

  private sameOrConflict(existing: SealedDocument, orgCode: string, sha256: string): { documentCode: string; sha256: string; sealSerial: string; sealedAt: string; jws: string } {
    if (existing.sha256 === sha256 && existing.orgCode === orgCode) {
      return { documentCode: existing.documentCode, sha256, sealSerial: existing.certSerial, sealedAt: existing.sealedAt.toISOString(), jws: existing.jws };
    }
    throw AppError.conflict('DocumentCodeTaken', `Document ${existing.documentCode} is already sealed with different content.`, { field: 'documentCode' });
  }

  /** Verifies a seal JWS; with the content, also that the content is the one sealed. */
  async verifySeal(jws: string, contentBase64?: string): Promise<{ valid: true; intact: boolean | null; payload: SealPayload }> {
    const v = await this.ca.verifyJws(jws);
    if (v.header.typ !== SEAL_JWS_TYPE || v.certificate.kind !== 'seal') throw AppError.unprocessable('NotASeal', 'This JWS is not a document seal.');
    const payload = JSON.parse(v.payload.toString('utf8')) as SealPayload;
    if (payload.org !== v.certificate.orgCode || payload.seal !== v.certificate.serial) throw AppError.unprocessable('SealMismatch', 'The seal names another organisation than its certificate.');
    return { valid: true, intact: contentBase64 === undefined ? null : sha256Of(contentBase64) === payload.sha256, payload };
  }

  /** Public verification (文档验证服务): who sealed a document, when, and whether given content is intact. */
  async verifyDocument(documentCode: string, compare?: { contentBase64?: string; sha256?: string }): Promise<DocumentVerification> {
    const doc = await this.repo.byCode(documentCode);
    if (!doc) throw AppError.notFound('DocumentNotFound', `No sealed document has the code ${documentCode}.`);
    return this.describe(doc, compare);
  }

  async verifyByHash(sha256: string): Promise<DocumentVerification[]> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw AppError.badRequest('InvalidHash', 'sha256 must be 64 lowercase hex characters.');
    const docs = await this.repo.byHash(sha256);
    if (docs.length === 0) throw AppError.notFound('DocumentNotFound', 'No sealed document has this hash: the file is not one that was sealed here, or it was altered.');
    return Promise.all(docs.map((d) => this.describe(d, { sha256 })));
  }

  private async describe(doc: SealedDocument, compare?: { contentBase64?: string; sha256?: string }): Promise<DocumentVerification> {
    const expected = compare?.contentBase64 ? sha256Of(compare.contentBase64) : compare?.sha256;
    const org = await this.orgs.get(doc.orgCode);
    let signatureValid = false;
    let certificateStatus: DocumentVerification['certificateStatus'] = 'unknown';
    let problem: string | undefined;
    let signedHash = doc.sha256;
    try {
      // Re-verify the stored seal: a changed hash or date in the table would no longer match the signature.
      const v = await this.verifySeal(doc.jws);
      signatureValid = v.payload.sha256 === doc.sha256 && v.payload.doc === doc.documentCode;
      signedHash = v.payload.sha256;
      certificateStatus = 'good';
      if (!signatureValid) problem = 'The register entry does not match its seal.';
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problem = e.message;
      certificateStatus = e.code === 'CertificateRevoked' ? 'revoked' : 'unknown';
    }
    return {
      documentCode: doc.documentCode,
      sealedBy: { orgCode: org.code, orgName: org.name, sealSerial: doc.certSerial, person: doc.sealedByLabel },
      sealedAt: doc.sealedAt.toISOString(),
      sha256: signedHash,
      signatureValid,
      certificateStatus,
      intact: expected === undefined ? null : signatureValid && expected === signedHash,
      ...(problem ? { problem } : {}),
    };
  }
}
