import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { Matter } from '../matters/matter.entity';

@Entity('applications')
@Index('applications_applicant', ['applicantId'])
@Index('applications_department', ['departmentCode'])
@Check('applications_applicant_kind_check', `applicant_kind IN (${APPLICANT_KINDS.map((k) => `'${k}'`).join(',')})`)
export class Application {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'case_number', unique: true }) caseNumber!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @ManyToOne(() => Matter, { nullable: false })
  @JoinColumn({ name: 'matter_code', foreignKeyConstraintName: 'applications_matter_code_fkey' })
  matter?: Matter;
  /** The version of the matter it was accepted under (the catalogue's `matter_versions`); running cases keep it. */
  @Column('int', { name: 'matter_version', default: 1 }) matterVersion!: number;
  /** The organisation handling it, fixed at acceptance. */
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'applicant_kind' }) applicantKind!: ApplicantKind;
  @Column('text', { name: 'applicant_id' }) applicantId!: string;
  @Column('text', { name: 'applicant_name' }) applicantName!: string;
  @Column('jsonb') form!: Record<string, unknown>;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'accepted_at' }) acceptedAt!: Date;
  @VersionColumn({ default: 1 }) version!: number;
}
