import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** The decision (准予/不予许可决定) issued for a case; one per case. */
@Entity('decisions')
@Unique('decisions_document_number_key', ['documentNumber'])
export class Decision {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text') decision!: 'approved' | 'rejected';
  @Column('text', { name: 'document_number' }) documentNumber!: string;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt!: Date;
}

/** The last document number used per tenant and year. */
@Entity('document_counters')
export class DocumentCounter {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('int') year!: number;
  @Column('bigint', { name: 'last_value' }) lastValue!: string;
}
