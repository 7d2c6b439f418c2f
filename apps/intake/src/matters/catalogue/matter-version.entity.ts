import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Matter } from '../matter.entity';
import { VERSION_STATES, type MatterElements, type VersionState } from '../matter-version';

/** One version of a matter's elements and its way through the change procedure (seed 004 art. 14, 16). */
@Entity('matter_versions')
@Check('matter_versions_version_check', 'version > 0')
@Check('matter_versions_state_check', `state IN (${VERSION_STATES.map((s) => `'${s}'`).join(',')})`)
@Index('matter_versions_one_open', ['code'], { unique: true, where: `state IN ('draft','submitted','approved','filed')` })
@Index('matter_versions_one_published', ['code'], { unique: true, where: `state = 'published'` })
@Index('matter_versions_state', ['tenantId', 'state'])
@Index('matter_versions_import', ['importId'], { where: 'import_id IS NOT NULL' })
export class MatterVersionRow {
  @PrimaryColumn('text') code!: string;
  @PrimaryColumn('int') version!: number;
  @ManyToOne(() => Matter, { nullable: false })
  @JoinColumn({ name: 'code', foreignKeyConstraintName: 'matter_versions_code_fkey' })
  matter?: Matter;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') state!: VersionState;
  @Column('jsonb') elements!: MatterElements;
  /** What changed and why, in the drafter's words. */
  @Column('text', { default: '' }) note!: string;
  @Column('text', { name: 'drafted_by' }) draftedBy!: string;
  @Column('text', { name: 'drafted_by_name' }) draftedByName!: string;
  @Column('timestamptz', { name: 'drafted_at' }) draftedAt!: Date;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt!: Date | null;
  @Column('text', { name: 'approved_by', nullable: true }) approvedBy!: string | null;
  @Column('text', { name: 'approved_by_name', nullable: true }) approvedByName!: string | null;
  @Column('timestamptz', { name: 'approved_at', nullable: true }) approvedAt!: Date | null;
  @Column('text', { name: 'filed_by', nullable: true }) filedBy!: string | null;
  @Column('text', { name: 'filed_by_name', nullable: true }) filedByName!: string | null;
  @Column('timestamptz', { name: 'filed_at', nullable: true }) filedAt!: Date | null;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
  @Column('timestamptz', { name: 'retired_at', nullable: true }) retiredAt!: Date | null;
  @Column('text', { name: 'rejected_by', nullable: true }) rejectedBy!: string | null;
  @Column('timestamptz', { name: 'rejected_at', nullable: true }) rejectedAt!: Date | null;
  @Column('text', { name: 'rejection_reason', nullable: true }) rejectionReason!: string | null;
  /** The catalogue import that drafted it, if any. */
  @Column('uuid', { name: 'import_id', nullable: true }) importId!: string | null;
}
