import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A co-review step of a joint review (并联审批) and its department's answer (see migration 1764900001000). */
@Entity('joint_review_requests')
@Index('joint_review_requests_case', ['caseNumber'])
export class JointReviewRequest {
  @PrimaryColumn('text', { name: 'task_id' }) taskId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  /** agree / disagree (a veto); null until the department's opinion is recorded. */
  @Column('text', { nullable: true }) opinion!: 'agree' | 'disagree' | null;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt!: Date | null;
}
