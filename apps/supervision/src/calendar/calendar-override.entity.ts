import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A correction to the published holiday schedule (each year's is announced in November). */
@Entity('calendar_overrides')
export class CalendarOverrideRow {
  @PrimaryColumn('date') day!: string;
  @Column('text') kind!: 'holiday' | 'workday';
  @Column('text', { nullable: true }) name!: string | null;
}
