import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** A consequence of a year's red tally (seed 001 text 3 art. 22), with the red alerts that caused it. Append-only. */
@Entity('tally_flags')
@Unique('tally_flags_year_scope_subject_consequence_key', ['year', 'scope', 'subject', 'consequence'])
export class TallyFlagEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('int') year!: number;
  @Column('text') scope!: 'person' | 'section' | 'department';
  @Column('text') subject!: string;
  @Column('text') consequence!: 'no-commendation' | 'reassignment' | 'section-no-commendation';
  @Column('uuid', { name: 'red_alert_ids', array: true }) redAlertIds!: string[];
  @Column('timestamptz', { name: 'raised_at' }) raisedAt!: Date;
}
