import type { CatalogueFeeData } from '@gov/contracts';
import { Column, Entity, Index, PrimaryColumn, Unique, VersionColumn } from 'typeorm';

/** What starting a case on the engine needs, recorded with the case so that a start interrupted by a crash is redone. */
export interface CaseStartSpec {
  variables: Record<string, string | number>;
  /** The matter version's per-step limits by user-task id, set as the variables the tasks name (`timeLimitVariable`). */
  stepLimits: { step: string; name: string; workingDays: number }[];
  applicationId: string;
  traceId?: string;
  correlationId: string;
}

/** An approval case (办件): one accepted application and its process instance on the engine. */
@Entity('cases')
@Index('cases_department', ['tenantId', 'departmentCode'])
@Index('cases_awaiting_start', ['acceptedAt'], { where: `status = 'accepted' AND process_instance_id IS NULL` })
@Index('cases_instance_to_cancel', ['caseNumber'], { where: `instance_cancel_reason IS NOT NULL` })
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
  @Column('jsonb', { name: 'start_spec', nullable: true }) startSpec!: CaseStartSpec | null;
  @Column('timestamptz', { name: 'start_lease_until', nullable: true }) startLeaseUntil!: Date | null;
  @Column('int', { name: 'start_attempts', default: 0 }) startAttempts!: number;
  /** Set when the case ended while its instance ran: the instance is deleted after the ending commits, then cleared. */
  @Column('text', { name: 'instance_cancel_reason', nullable: true }) instanceCancelReason!: string | null;
  /** The matter version's catalogue fees (from the accepted event): the handler's fee determination is checked against them. */
  @Column('jsonb', { name: 'catalogue_fees', nullable: true }) catalogueFees!: CatalogueFeeData[] | null;
  /** 上报件: the higher-level tenant and department the case is reported to (they work the called flow's steps). */
  @Column('text', { name: 'reports_to_tenant_id', nullable: true }) reportsToTenantId!: string | null;
  @Column('text', { name: 'reports_to_department_code', nullable: true }) reportsToDepartmentCode!: string | null;
  /** 并联审批: the co-reviewing departments (their officers work the co-review steps), in the catalogue's order. */
  @Column('text', { name: 'co_department_codes', array: true, default: () => "'{}'" }) coDepartmentCodes!: string[];
  @VersionColumn({ default: 1 }) version!: number;
}
