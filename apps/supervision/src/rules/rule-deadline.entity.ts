import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A deadline an anomaly rule watches over time (a 容缺 commitment, an ingested case awaiting its native application):
 * the time scan raises the rule's anomaly once when `due_at` passes with `met_at` still null.
 */
@Entity('rule_deadlines')
@Index('rule_deadlines_due', ['dueAt'], { where: 'met_at IS NULL' })
@Index('rule_deadlines_case', ['caseNumber'])
export class RuleDeadlineEntity {
  @PrimaryColumn('text') rule!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'org_code', nullable: true }) orgCode!: string | null;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('timestamptz', { name: 'met_at', nullable: true }) metAt!: Date | null;
  @Column('jsonb', { default: () => "'{}'" }) evidence!: Record<string, unknown>;
}
