import { Column, Entity, Index, PrimaryColumn, Unique, VersionColumn } from 'typeorm';

/** An approval case (办件): one accepted application and its process instance on the engine. */
@Entity('cases')
@Index('cases_department', ['tenantId', 'departmentCode'])
@Unique('cases_application_id_key', ['applicationId'])
@Unique('cases_process_instance_id_key', ['processInstanceId'])
export class Case {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('uuid', { name: 'application_id' }) applicationId!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @Column('text', { name: 'matter_name' }) matterName!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'process_key' }) processKey!: string;
  @Column('text', { name: 'process_instance_id', nullable: true }) processInstanceId!: string | null;
  /** withdrawn: 准予撤回 (seed 001 text 3 art. 11); terminated: a 容缺 commitment not kept. */
  @Column('text') status!: 'accepted' | 'in-review' | 'decided' | 'withdrawn' | 'terminated';
  @Column('timestamptz', { name: 'accepted_at' }) acceptedAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @VersionColumn({ default: 1 }) version!: number;
}
