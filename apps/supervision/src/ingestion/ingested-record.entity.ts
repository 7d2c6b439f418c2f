import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One record a department's own system sent, kept by its id so a resend is recognised and skipped. */
@Entity('ingested_records')
@Index('ingested_records_case', ['caseNumber'])
export class IngestedRecordEntity {
  @PrimaryColumn('text', { name: 'department_code' }) departmentCode!: string;
  @PrimaryColumn('text', { name: 'record_id' }) recordId!: string;
  @Column('text') system!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  /** The event the record became (its id is derived from the record, so it is the same on every resend). */
  @Column('uuid', { name: 'event_id' }) eventId!: string;
  @Column('timestamptz', { name: 'ingested_at', default: () => 'now()' }) ingestedAt!: Date;
}
