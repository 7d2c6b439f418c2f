import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** An approval matter (事项) in the catalogue: what can be applied for, who handles it, its flow and time limit. */
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
}
