import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What statistics know of one case, from the events (never from another service's tables). */
@Entity('stats_cases')
export class StatsCaseEntity {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('text', { name: 'department_code', nullable: true }) departmentCode!: string | null;
  @Column('text', { name: 'section_code', nullable: true }) sectionCode!: string | null;
  @Column('text', { name: 'officer_id', nullable: true }) officerId!: string | null;
  @Column('text', { nullable: true }) city!: string | null;
  @Column('text', { nullable: true }) county!: string | null;
  @Column('text', { nullable: true }) township!: string | null;
  @Column('int', { name: 'statutory_limit_wd', nullable: true }) statutoryLimitWd!: number | null;
  @Column('int', { name: 'promised_limit_wd', nullable: true }) promisedLimitWd!: number | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt!: Date | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('int', { name: 'working_days_used', nullable: true }) workingDaysUsed!: number | null;
}
