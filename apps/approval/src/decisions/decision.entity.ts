import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { Case } from '../cases/case.entity';

/**
 * What a case's decision rows record: 准予/不予许可决定, a filing receipt (备案回执), the 准予撤回 / 终止 document of
 * a case ended early, and the revocation (撤销许可决定) of an approval (告知承诺制: a false commitment).
 */
export const DECISION_KINDS = ['approved', 'rejected', 'filed', 'withdrawn', 'terminated', 'revoked'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/**
 * A document issued for a case: one row per case and kind. Every kind but `revoked` is the case's outcome, of which a
 * case has one (`decisions_one_outcome_per_case`); a revocation is a second document of an approved case.
 */
@Entity('decisions')
@Unique('decisions_document_number_key', ['documentNumber'])
@Index('decisions_one_outcome_per_case', ['caseNumber'], { unique: true, where: `decision <> 'revoked'` })
@Check('decisions_decision_check', `decision IN (${DECISION_KINDS.map((k) => `'${k}'`).join(', ')})`)
export class Decision {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @PrimaryColumn('text') decision!: DecisionKind;
  @ManyToOne(() => Case)
  @JoinColumn({ name: 'case_number', foreignKeyConstraintName: 'decisions_case_number_fkey' })
  case?: Case;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text', { name: 'document_number' }) documentNumber!: string;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt!: Date;
  /** A revocation: the document number of the decision it revokes. */
  @Column('text', { name: 'revokes_document_number', nullable: true }) revokesDocumentNumber!: string | null;
}

/** The last document number used per tenant and year. */
@Entity('document_counters')
export class DocumentCounter {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('int') year!: number;
  @Column('bigint', { name: 'last_value' }) lastValue!: string;
}
