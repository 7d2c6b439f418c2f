import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A deadline a deadline rule watches (`DeadlineRule`): started by one event, met by another; when `due_at` passes
 * unmet the time scan raises the rule's anomaly once and sets `fired_at`. The partial index holds only the open ones.
 */
@Entity('rule_deadlines')
@Index('rule_deadlines_due', ['dueAt'], { where: 'met_at IS NULL AND fired_at IS NULL' })
export class RuleDeadlineEntity {
  @PrimaryColumn('text') rule!: string;
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'org_code', nullable: true }) orgCode!: string | null;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('timestamptz', { name: 'met_at', nullable: true }) metAt!: Date | null;
  @Column('timestamptz', { name: 'fired_at', nullable: true }) firedAt!: Date | null;
  @Column('jsonb', { default: () => "'{}'" }) evidence!: Record<string, unknown>;
}
