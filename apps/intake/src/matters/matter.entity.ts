import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An approval matter (事项) in the catalogue: its code and tenant, and a summary of the version now in force
 * (`current_version`, kept in step by the catalogue when a version is published) so lookups by code stay one row. The
 * elements themselves are in `matter_versions`.
 */
@Entity('matters')
@Check('matters_kind_check', `kind IN ('审批','审核','核准','备案','内部事务')`)
@Check('matters_time_limit_working_days_check', 'time_limit_working_days > 0')
export class Matter {
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'process_key' }) processKey!: string;
  @Column('int', { name: 'time_limit_working_days' }) timeLimitWorkingDays!: number;
  @Column('text', { name: 'legal_basis', default: '' }) legalBasis!: string;
  @Column('boolean', { default: true }) active!: boolean;
  /** The version in force is secret (涉密): never in the public catalogue or guide, never accepted online. */
  @Column('boolean', { default: false }) secret!: boolean;
  /** The version now in force (published); null while the matter has no published version yet. */
  @Column('int', { name: 'current_version', nullable: true }) currentVersion!: number | null;
}
