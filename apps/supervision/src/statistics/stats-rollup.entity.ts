import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Pre-aggregated counters of one dimension value (an officer, a section, a department, a region) in one period,
 * bumped as events arrive. The primary key serves vertical comparisons (one key over a range of periods); the
 * period index serves horizontal ones (every key of a dimension in one period). Dashboards never scan cases.
 */
@Entity('stats_rollups')
@Index('stats_rollups_horizontal', ['period', 'periodKey', 'dim'])
export class StatsRollupEntity {
  @PrimaryColumn('text') dim!: string;
  @PrimaryColumn('text', { name: 'dim_key' }) dimKey!: string;
  @PrimaryColumn('text') period!: string;
  @PrimaryColumn('text', { name: 'period_key' }) periodKey!: string;
  /** The organisation (or division) whose supervisors may see the row. */
  @Column('text') scope!: string;
  @Column('int', { default: 0 }) received!: number;
  @Column('int', { default: 0 }) accepted!: number;
  @Column('int', { default: 0 }) decided!: number;
  @Column('int', { name: 'on_time', default: 0 }) onTime!: number;
  @Column('bigint', { name: 'used_wd_sum', default: 0 }) usedWdSum!: string;
  @Column('bigint', { name: 'statutory_wd_sum', default: 0 }) statutoryWdSum!: string;
  @Column('bigint', { name: 'promised_wd_sum', default: 0 }) promisedWdSum!: string;
  @Column('int', { name: 'promised_count', default: 0 }) promisedCount!: number;
  @Column('int', { name: 'promised_on_time', default: 0 }) promisedOnTime!: number;
  /** Decided cases by working days used: index 1 = 0 days … index 61 = 60 or more (PostgreSQL arrays start at 1). */
  @Column('int', { name: 'used_hist', array: true, default: () => "'{}'" }) usedHist!: number[];
  @Column('int', { default: 0 }) returns!: number;
  @Column('int', { default: 0 }) suspensions!: number;
  @Column('int', { default: 0 }) reds!: number;
  @Column('int', { default: 0 }) yellows!: number;
  @Column('int', { default: 0 }) anomalies!: number;
  @Column('int', { default: 0 }) complaints!: number;
  @Column('int', { default: 0 }) ratings!: number;
  @Column('int', { name: 'rating_sum', default: 0 }) ratingSum!: number;
  @Column('int', { name: 'bad_ratings', default: 0 }) badRatings!: number;
  /** Case deadline lights (statutory or promised), apart from the step lights above. */
  @Column('int', { name: 'case_reds', default: 0 }) caseReds!: number;
  @Column('int', { name: 'case_yellows', default: 0 }) caseYellows!: number;
  @Column('int', { default: 0 }) consultations!: number;
  @Column('int', { name: 'consultations_overdue', default: 0 }) consultationsOverdue!: number;
}
