import { Column, Entity, Generated, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * The alert ledger (append-only, hash-chained, one alert per step and level). Reads and appends go through
 * `AlertsRepository`; this entity exists so the migration drift check covers the table. The foreign key to steps and
 * the level check are kept in the migration only (the foreign key was dropped in round three: case lights have no step).
 */
@Entity('alerts')
@Index('alerts_case', ['caseNumber'])
@Unique('alerts_seq_key', ['seq'])
@Unique('alerts_hash_key', ['hash'])
@Unique('alerts_step_id_level_key', ['stepId', 'level'])
@Index('alerts_chain', ['chainPartition', 'chainSeq'], { unique: true })
export class AlertEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('bigint') @Generated('increment') seq!: string;
  @Column('text', { name: 'step_id' }) stepId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text') level!: 'yellow' | 'red';
  @Column('timestamptz') deadline!: Date;
  @Column('timestamptz', { name: 'raised_at' }) raisedAt!: Date;
  @Column('text', { name: 'prev_hash' }) prevHash!: string;
  @Column('text') hash!: string;
  /** The case's chain (@gov/ledger); null for the legacy chain written before the ledger. */
  @Column({ type: 'text', name: 'chain_partition', collation: 'C', nullable: true }) chainPartition!: string | null;
  @Column('bigint', { name: 'chain_seq', nullable: true }) chainSeq!: string | null;
}
