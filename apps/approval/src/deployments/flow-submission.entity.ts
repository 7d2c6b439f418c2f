import { Check, Column, Entity, PrimaryColumn, Unique, VersionColumn } from 'typeorm';

export type FlowSubmissionStatus = 'checked' | 'approved' | 'rejected' | 'deployed';

/**
 * A BPMN file an analyst submitted for a tenant, with its check report, the department head's review, the filing
 * (seed 004 art. 14) and the engine deployment. The file itself never changes after submission: what was checked is
 * what is approved, filed and deployed (its SHA-256 is in every ledger record).
 */
@Entity('flow_submissions')
@Unique('flow_submissions_filing_number_key', ['filingNumber'])
@Check('flow_submissions_status_check', `status IN ('checked', 'approved', 'rejected', 'deployed')`)
export class FlowSubmission {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'process_key' }) processKey!: string;
  @Column('text', { name: 'file_name' }) fileName!: string;
  @Column('text', { name: 'bpmn_xml' }) bpmnXml!: string;
  @Column('text', { name: 'bpmn_sha256' }) bpmnSha256!: string;
  @Column('text') status!: FlowSubmissionStatus;
  @Column('jsonb', { name: 'check_report' }) checkReport!: unknown;
  @Column('text', { name: 'submitted_by' }) submittedBy!: string;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt!: Date;
  @Column('text', { name: 'reviewed_by', nullable: true }) reviewedBy!: string | null;
  @Column('timestamptz', { name: 'reviewed_at', nullable: true }) reviewedAt!: Date | null;
  @Column('text', { name: 'review_comment', nullable: true }) reviewComment!: string | null;
  @Column('text', { name: 'filing_number', nullable: true }) filingNumber!: string | null;
  @Column('timestamptz', { name: 'filed_at', nullable: true }) filedAt!: Date | null;
  @Column('text', { name: 'deployment_id', nullable: true }) deploymentId!: string | null;
  @Column('text', { name: 'process_definition_id', nullable: true }) processDefinitionId!: string | null;
  @Column('int', { name: 'process_definition_version', nullable: true }) processDefinitionVersion!: number | null;
  @Column('timestamptz', { name: 'deployed_at', nullable: true }) deployedAt!: Date | null;
  @VersionColumn({ name: 'row_version' }) rowVersion!: number;
}
