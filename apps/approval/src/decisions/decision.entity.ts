import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, Unique } from 'typeorm';
import { Case } from '../cases/case.entity';

/** What a case's decision row records: 准予/不予许可决定, or the 准予撤回 / 终止 document of a case ended early. */
export const DECISION_KINDS = ['approved', 'rejected', 'withdrawn', 'terminated'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** The decision (准予/不予许可决定, 准予撤回, 终止) issued for a case; one per case. */
@Entity('decisions')
@Unique('decisions_document_number_key', ['documentNumber'])
@Check('decisions_decision_check', `decision IN (${DECISION_KINDS.map((k) => `'${k}'`).join(', ')})`)
export class Decision {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @OneToOne(() => Case)
  @JoinColumn({ name: 'case_number', foreignKeyConstraintName: 'decisions_case_number_fkey' })
  case?: Case;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text') decision!: DecisionKind;
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
