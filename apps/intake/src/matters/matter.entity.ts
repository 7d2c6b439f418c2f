import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An approval matter (事项) in the catalogue: what can be applied for, who handles it, its flow and time limit. */
@Entity('matters')
export class Matter {
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'process_key' }) processKey!: string;
  @Column('int', { name: 'time_limit_working_days' }) timeLimitWorkingDays!: number;
  @Column('text', { name: 'legal_basis' }) legalBasis!: string;
  @Column('boolean') active!: boolean;
}
