import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last case number handed out per tenant and day (CST): one row, bumped in the accepting transaction. */
@Entity('case_number_counters')
export class CaseNumberCounter {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  /** yyyymmdd in China Standard Time. */
  @PrimaryColumn('text') day!: string;
  @Column('bigint', { name: 'last_value' }) lastValue!: string;
}
