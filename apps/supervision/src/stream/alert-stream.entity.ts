import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** The alert stream (append-only): what the SSE endpoint and `supervision.alert.v1` carry, in `seq` order. */
@Entity('alert_stream')
@Unique('alert_stream_id_key', ['id'])
@Unique('alert_stream_dedupe_key_key', ['dedupeKey'])
@Index('alert_stream_case', ['caseNumber'])
export class AlertStreamEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) seq!: string;
  @Column('uuid') id!: string;
  @Column('text') kind!: string;
  @Column('text') level!: string;
  @Column('text') rule!: string;
  @Column('int', { name: 'rule_version', default: 1 }) ruleVersion!: number;
  @Column('text', { name: 'dedupe_key' }) dedupeKey!: string;
  @Column('text', { name: 'case_number', nullable: true }) caseNumber!: string | null;
  @Column('text', { name: 'step_id', nullable: true }) stepId!: string | null;
  @Column('text', { nullable: true }) officer!: string | null;
  @Column('text', { name: 'org_code', nullable: true }) orgCode!: string | null;
  @Column('jsonb', { default: () => "'{}'" }) evidence!: Record<string, unknown>;
  @Column('timestamptz', { name: 'raised_at' }) raisedAt!: Date;
}
