import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A supervision order (督办) about a case, to an officer, a section or a department, with a response deadline. */
@Entity('supervision_orders')
@Index('supervision_orders_due', ['respondBy'], { where: 'responded_at IS NULL AND escalated_to IS NULL' })
@Index('supervision_orders_one_auto', ['stepId', 'level'], { unique: true, where: "issued_by = 'system'" })
export class SupervisionOrderEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { default: 'supervision' }) kind!: 'supervision' | 'rectification';
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'step_id', nullable: true }) stepId!: string | null;
  @Column('text', { name: 'target_kind' }) targetKind!: 'officer' | 'section' | 'department';
  @Column('text') target!: string;
  @Column('int', { default: 1 }) level!: number;
  @Column('text') reason!: string;
  @Column('text', { name: 'issued_by' }) issuedBy!: string;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
  @Column('timestamptz', { name: 'respond_by' }) respondBy!: Date;
  @Column('text', { nullable: true }) response!: string | null;
  @Column('text', { name: 'responded_by', nullable: true }) respondedBy!: string | null;
  @Column('timestamptz', { name: 'responded_at', nullable: true }) respondedAt!: Date | null;
  @Column('uuid', { name: 'escalated_to', nullable: true }) escalatedTo!: string | null;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  /** A rectification notice is closed by the office once the department's rectification is verified. */
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { name: 'closed_by', nullable: true }) closedBy!: string | null;
}
