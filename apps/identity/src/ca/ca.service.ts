import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AppError } from '@gov/service-kit';
import * as x509 from '@peculiar/x509';
import { CompactSign, type JWSHeaderParameters, compactVerify, decodeProtectedHeader } from 'jose';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { KeyEncryption } from '../common/kek';
import { CaRepository } from './ca.repository';
import { type CertificateKind, IssuedCertificate } from './certificate.entity';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const YEAR_MS = 365 * 86_400_000;
export const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

interface LoadedCa {
  cert: x509.X509Certificate;
  nodeCert: X509Certificate;
  key: CryptoKey;
  pem: string;
}

export interface VerifiedJws {
  payload: Buffer;
  header: JWSHeaderParameters;
  certificate: IssuedCertificate;
  signer: { subject: string; serial: string; kind: CertificateKind; orgCode: string };
}

function newSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x10; // positive and 16 bytes long
  return b.toString('hex').toUpperCase();
}

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** A two-level CA (root → issuing) for officer signing certificates and department seal certificates. */
@Injectable()
export class CaService implements OnModuleInit {
  private readonly kek: KeyEncryption;
  private root?: LoadedCa;
  private issuing?: LoadedCa;

  constructor(
    private readonly repo: CaRepository,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {
    this.kek = new KeyEncryption(config.kek);
  }

  async onModuleInit(): Promise<void> {
    const rows = await this.repo.ensureAuthorities(() => this.createHierarchy());
    for (const row of rows) {
      const key = await webcrypto.subtle.importKey('pkcs8', this.kek.decrypt(row.privateKeyEnc, `ca:${row.name}`), EC, false, ['sign']);
      const loaded = { cert: new x509.X509Certificate(row.certPem), nodeCert: new X509Certificate(row.certPem), key, pem: row.certPem };
      if (row.name === 'root') this.root = loaded;
      else this.issuing = loaded;
    }
  }

  private async createHierarchy() {
    const now = Date.now();
    const rootKeys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
    const rootName = 'CN=示范市政务服务根CA, O=示范市人民政府, C=CN';
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: newSerial(),
      name: rootName,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 20 * YEAR_MS),
      keys: rootKeys,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });
    const issuingKeys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
    const issuing = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: 'CN=示范市政务服务签发CA, O=示范市人民政府, C=CN',
      issuer: root.subject,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 10 * YEAR_MS),
      signingKey: rootKeys.privateKey,
      publicKey: issuingKeys.publicKey,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });
    const exportKey = async (k: CryptoKey) => Buffer.from(await webcrypto.subtle.exportKey('pkcs8', k));
    return [
      { name: 'root' as const, certPem: root.toString('pem'), privateKeyEnc: this.kek.encrypt(await exportKey(rootKeys.privateKey), 'ca:root') },
      { name: 'issuing' as const, certPem: issuing.toString('pem'), privateKeyEnc: this.kek.encrypt(await exportKey(issuingKeys.privateKey), 'ca:issuing') },
    ];
  }

  private ca(): { root: LoadedCa; issuing: LoadedCa } {
    if (!this.root || !this.issuing) throw new Error('CA not initialised');
    return { root: this.root, issuing: this.issuing };
  }

  chain(): { root: string; issuing: string } {
    const { root, issuing } = this.ca();
    return { root: root.pem, issuing: issuing.pem };
  }

  /**
   * Issues a certificate. With `publicKeyPem` the holder keeps the private key (officers); without, a key pair is
   * generated: for seals the private key is kept encrypted here, for officers it is returned once and not stored.
   */
  async issue(req: {
    kind: CertificateKind;
    subject: string;
    orgCode: string;
    userId?: string;
    publicKeyPem?: string;
    validityDays: number;
    replacesSerial?: string;
    manager?: EntityManager;
  }): Promise<{ certificate: IssuedCertificate; privateKeyPem?: string }> {
    const { issuing } = this.ca();
    let publicKey: CryptoKey;
    let privateKey: CryptoKey | undefined;
    if (req.publicKeyPem) {
      try {
        const spki = new x509.PublicKey(req.publicKeyPem);
        // @peculiar/x509 types its keys with the DOM CryptoKey, which this Node-only build does not declare.
        const exported: unknown = await spki.export(EC, ['verify']);
        publicKey = exported as CryptoKey;
      } catch {
        throw AppError.badRequest('InvalidPublicKey', 'publicKeyPem must be a PEM SubjectPublicKeyInfo of a P-256 (ES256) key.');
      }
    } else {
      const pair = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
      publicKey = pair.publicKey;
      privateKey = pair.privateKey;
    }
    const serial = newSerial();
    const now = Date.now();
    const notBefore = new Date(now - 60_000);
    const notAfter = new Date(now + req.validityDays * 86_400_000);
    const issuerBase = this.config.IDENTITY_ISSUER.replace(/\/$/, '');
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: req.subject,
      issuer: issuing.cert.subject,
      notBefore,
      notAfter,
      signingKey: issuing.key,
      publicKey,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(issuing.cert.publicKey),
        new x509.CRLDistributionPointsExtension([`${issuerBase}/ca/crl`]),
      ],
    });
    const pkcs8 = privateKey ? Buffer.from(await webcrypto.subtle.exportKey('pkcs8', privateKey)) : undefined;
    const row = Object.assign(new IssuedCertificate(), {
      serial,
      kind: req.kind,
      subjectUserId: req.userId ?? null,
      orgCode: req.orgCode,
      subjectDn: cert.subject,
      certPem: cert.toString('pem'),
      privateKeyEnc: req.kind === 'seal' && pkcs8 ? this.kek.encrypt(pkcs8, `seal:${serial}`) : null,
      status: 'good' as const,
      notBefore,
      notAfter,
      revokedAt: null,
      revocationReason: null,
      replacesSerial: req.replacesSerial ?? null,
    });
    await this.repo.insert(row, req.manager);
    const privateKeyPem = req.kind === 'officer' && pkcs8 ? createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString() : undefined;
    return { certificate: row, privateKeyPem };
  }

  /**
   * Certifies a platform key (not an officer's or a seal's): the certificate is not in the register, it carries
   * the organisational unit that verifiers check (e.g. `platform-ledger` for the ledger anchoring key).
   */
  async certifyPlatformKey(req: { commonName: string; unit: string; publicKey: CryptoKey; validityDays: number }): Promise<{ certPem: string; notAfter: Date; issuingPem: string }> {
    const { issuing } = this.ca();
    const now = Date.now();
    const notAfter = new Date(now + req.validityDays * 86_400_000);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: `CN=${req.commonName}, OU=${req.unit}, O=示范市人民政府, C=CN`,
      issuer: issuing.cert.subject,
      notBefore: new Date(now - 60_000),
      notAfter,
      signingKey: issuing.key,
      publicKey: req.publicKey,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(req.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(issuing.cert.publicKey),
      ],
    });
    return { certPem: cert.toString('pem'), notAfter, issuingPem: issuing.pem };
  }

  async get(serial: string): Promise<IssuedCertificate> {
    const cert = /^[0-9A-Fa-f]{2,40}$/.test(serial) ? await this.repo.bySerial(serial.toUpperCase()) : null;
    if (!cert) throw AppError.notFound('CertificateNotFound', `No certificate has the serial ${serial}.`);
    return cert;
  }

  async revoke(serial: string, reason: RevocationReason): Promise<IssuedCertificate> {
    const cert = await this.get(serial);
    if (cert.status === 'revoked') throw AppError.conflict('AlreadyRevoked', `Certificate ${cert.serial} is already revoked.`);
    await this.repo.revoke(cert.serial, reason);
    return this.get(cert.serial);
  }

  /** Renewal: a new certificate for the same subject (a new key for seals, the same public key for officers); the old one is superseded. */
  async renew(serial: string, validityDays: number, manager?: EntityManager): Promise<{ certificate: IssuedCertificate; privateKeyPem?: string }> {
    const old = await this.get(serial);
    if (old.status === 'revoked') throw AppError.conflict('CertificateRevoked', 'A revoked certificate cannot be renewed; issue a new one.');
    const publicKeyPem = old.kind === 'officer' ? new x509.X509Certificate(old.certPem).publicKey.toString('pem') : undefined;
    const renewed = await this.issue({ kind: old.kind, subject: old.subjectDn, orgCode: old.orgCode, userId: old.subjectUserId ?? undefined, publicKeyPem, validityDays, replacesSerial: old.serial, manager });
    await this.repo.revoke(old.serial, 'superseded', new Date(), manager);
    return renewed;
  }

  /** OCSP-like answer, signed by the issuing CA so it can be relayed and checked offline. */
  async status(serial: string): Promise<{ serial: string; status: 'good' | 'revoked' | 'unknown'; revokedAt: string | null; reason: string | null; notAfter: string | null; producedAt: string; jws: string }> {
    const cert = /^[0-9A-Fa-f]{2,40}$/.test(serial) ? await this.repo.bySerial(serial.toUpperCase()) : null;
    const body = {
      serial: serial.toUpperCase(),
      status: cert ? cert.status : ('unknown' as const),
      revokedAt: cert?.revokedAt?.toISOString() ?? null,
      reason: cert?.revocationReason ?? null,
      notAfter: cert?.notAfter.toISOString() ?? null,
      producedAt: new Date().toISOString(),
    };
    const { issuing } = this.ca();
    const jws = await new CompactSign(Buffer.from(JSON.stringify(body)))
      .setProtectedHeader({ alg: 'ES256', typ: 'cert-status+jws', x5c: [pemBody(issuing.pem)] })
      .sign(issuing.key);
    return { ...body, jws };
  }

  async crlPem(): Promise<string> {
    const { issuing } = this.ca();
    const revoked = await this.repo.revoked();
    const reasons: Record<string, x509.X509CrlReason> = {
      unspecified: x509.X509CrlReason.unspecified,
      keyCompromise: x509.X509CrlReason.keyCompromise,
      affiliationChanged: x509.X509CrlReason.affiliationChanged,
      superseded: x509.X509CrlReason.superseded,
      cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
    };
    const crl = await x509.X509CrlGenerator.create({
      issuer: issuing.cert.subject,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 3600_000),
      signingKey: issuing.key,
      signingAlgorithm: SIGN,
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuing.cert.publicKey)],
      entries: revoked.map((c) => ({ serialNumber: c.serial, revocationDate: c.revokedAt ?? new Date(), reason: reasons[c.revocationReason ?? 'unspecified'] ?? x509.X509CrlReason.unspecified })),
    });
    // openssl and RFC 7468 label CRLs "X509 CRL".
    return crl.toString('pem').replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----');
  }

  /** Signs with a seal certificate's key held here: ES256 JWS with the x5c chain [seal, issuing]. */
  async signWithSeal(cert: IssuedCertificate, payload: Buffer, typ: string): Promise<string> {
    if (!cert.privateKeyEnc) throw new Error('seal certificate without a key');
    const key = await webcrypto.subtle.importKey('pkcs8', this.kek.decrypt(cert.privateKeyEnc, `seal:${cert.serial}`), EC, false, ['sign']);
    return new CompactSign(payload).setProtectedHeader({ alg: 'ES256', typ, x5c: [pemBody(cert.certPem), pemBody(this.ca().issuing.pem)] }).sign(key);
  }

  /**
   * Verifies a compact JWS carrying an x5c chain: the leaf must be issued by this CA's issuing CA (the chain in the
   * header is not trusted beyond the leaf), be within its validity, be known here and not revoked; the signature
   * must verify with ES256.
   */
  async verifyJws(jws: string): Promise<VerifiedJws> {
    let header: JWSHeaderParameters;
    try {
      header = decodeProtectedHeader(jws);
    } catch {
      throw AppError.badRequest('MalformedJws', 'The value is not a compact JWS.');
    }
    if (header.alg !== 'ES256') throw AppError.unprocessable('UnsupportedAlgorithm', 'Only ES256 signatures are accepted.');
    const x5c = header.x5c;
    if (!Array.isArray(x5c) || x5c.length < 1 || x5c.length > 3 || !x5c.every((c) => typeof c === 'string')) {
      throw AppError.unprocessable('MissingCertificateChain', 'The JWS header needs an x5c certificate chain.');
    }
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(Buffer.from(x5c[0], 'base64'));
    } catch {
      throw AppError.unprocessable('MalformedCertificate', 'The first x5c entry is not a DER certificate.');
    }
    const { issuing } = this.ca();
    if (!leaf.checkIssued(issuing.nodeCert) || !leaf.verify(issuing.nodeCert.publicKey)) {
      throw AppError.unprocessable('UntrustedCertificate', 'The signing certificate was not issued by this CA.');
    }
    const now = Date.now();
    if (new Date(leaf.validFrom).getTime() > now || new Date(leaf.validTo).getTime() < now) {
      throw AppError.unprocessable('CertificateExpired', 'The signing certificate is outside its validity period.');
    }
    const record = await this.repo.bySerial(leaf.serialNumber.toUpperCase());
    if (!record) throw AppError.unprocessable('UnknownCertificate', 'The signing certificate is not in this CA\'s register.');
    if (record.status === 'revoked') {
      throw AppError.unprocessable('CertificateRevoked', `The signing certificate ${record.serial} was revoked on ${record.revokedAt?.toISOString() ?? '?'} (${record.revocationReason ?? 'unspecified'}).`);
    }
    try {
      const { payload } = await compactVerify(jws, leaf.publicKey, { algorithms: ['ES256'] });
      return { payload: Buffer.from(payload), header, certificate: record, signer: { subject: leaf.subject, serial: record.serial, kind: record.kind, orgCode: record.orgCode } };
    } catch {
      throw AppError.unprocessable('InvalidSignature', 'The signature does not match the content (it was altered or signed with another key).');
    }
  }

  byUser(userId: string) {
    return this.repo.byUser(userId);
  }

  activeSeal(orgCode: string) {
    return this.repo.activeSeal(orgCode);
  }

  seals(orgCode: string) {
    return this.repo.byOrg(orgCode, 'seal');
  }
}
