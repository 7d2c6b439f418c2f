import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { CaAuthority, IssuedCertificate } from './certificate.entity';

const CA_LOCK = 0x63616361;

@Injectable()
export class CaRepository {
  constructor(private readonly ds: DataSource) {}

  authorities(): Promise<CaAuthority[]> {
    return this.ds.getRepository(CaAuthority).find();
  }

  /** Creates the CA hierarchy exactly once, even with several replicas starting together. */
  async ensureAuthorities(create: () => Promise<Array<Pick<CaAuthority, 'name' | 'certPem' | 'privateKeyEnc'>>>): Promise<CaAuthority[]> {
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [CA_LOCK]);
      const existing = await em.getRepository(CaAuthority).find();
      if (existing.length === 2) return existing;
      const created = await create();
      await em.getRepository(CaAuthority).insert(created);
      return em.getRepository(CaAuthority).find();
    });
  }

  async insert(cert: IssuedCertificate, manager: EntityManager = this.ds.manager): Promise<void> {
    await manager.getRepository(IssuedCertificate).insert(cert);
  }

  bySerial(serial: string): Promise<IssuedCertificate | null> {
    return this.ds.getRepository(IssuedCertificate).findOneBy({ serial });
  }

  byOrg(orgCode: string, kind: 'officer' | 'seal'): Promise<IssuedCertificate[]> {
    return this.ds.getRepository(IssuedCertificate).find({ where: { orgCode, kind }, order: { createdAt: 'DESC' } });
  }

  byUser(userId: string): Promise<IssuedCertificate[]> {
    return this.ds.getRepository(IssuedCertificate).find({ where: { subjectUserId: userId }, order: { createdAt: 'DESC' } });
  }

  /** The newest good, unexpired seal certificate of an organisation. */
  async activeSeal(orgCode: string, now = new Date()): Promise<IssuedCertificate | null> {
    return this.ds
      .getRepository(IssuedCertificate)
      .createQueryBuilder('c')
      .where('c.org_code = :orgCode AND c.kind = :kind AND c.status = :status AND c.not_before <= :now AND c.not_after > :now', { orgCode, kind: 'seal', status: 'good', now })
      .orderBy('c.created_at', 'DESC')
      .getOne();
  }

  async revoke(serial: string, reason: string, at = new Date(), manager: EntityManager = this.ds.manager): Promise<boolean> {
    const res = await manager.getRepository(IssuedCertificate).update({ serial, status: 'good' }, { status: 'revoked', revokedAt: at, revocationReason: reason });
    return (res.affected ?? 0) > 0;
  }

  revoked(): Promise<IssuedCertificate[]> {
    return this.ds.getRepository(IssuedCertificate).find({ where: { status: In(['revoked']) }, order: { revokedAt: 'ASC' } });
  }
}
