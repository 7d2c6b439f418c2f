import { Ledger } from '@gov/ledger';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The audit trail of the change procedure (the `intake.matter-changes` ledger of @gov/ledger): one hash chain per
 * matter (`chain_partition` = matter code). Append-only: the database refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity('matter_changes')
@Index('matter_changes_chain', ['chainPartition', 'chainSeq'], { unique: true })
export class MatterChange {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('timestamptz') at!: Date;
  @Column('text') code!: string;
  @Column('int') version!: number;
  /** drafted, submitted, approved, rejected, filed, published, retired, imported */
  @Column('text') action!: string;
  @Column('text') actor!: string;
  @Column('text', { name: 'actor_label' }) actorLabel!: string;
  @Column('jsonb', { default: () => "'{}'" }) details!: Record<string, unknown>;
  @Column({ name: 'chain_partition', type: 'text', collation: 'C' }) chainPartition!: string;
  @Column('bigint', { name: 'chain_seq' }) chainSeq!: string;
  @Column('char', { name: 'prev_hash', length: 64 }) prevHash!: string;
  @Column('char', { length: 64 }) hash!: string;
}

export type MatterChangeField = 'at' | 'code' | 'version' | 'action' | 'actor' | 'actorLabel' | 'details';

export const MATTER_CHANGES_LEDGER = 'intake.matter-changes';

export const matterChangesLedger = new Ledger<MatterChangeField>({
  ledger: MATTER_CHANGES_LEDGER,
  table: 'matter_changes',
  rowIdColumn: 'id',
  fields: {
    at: { column: 'at', type: 'timestamptz' },
    code: { column: 'code', type: 'text' },
    version: { column: 'version', type: 'bigint' },
    action: { column: 'action', type: 'text' },
    actor: { column: 'actor', type: 'text' },
    actorLabel: { column: 'actor_label', type: 'text' },
    details: { column: 'details', type: 'jsonb' },
  },
});
