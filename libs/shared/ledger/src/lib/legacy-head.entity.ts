import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The head of a chain written before it moved onto the ledger, recorded by the migration that froze it ("migrated
 * from the legacy chain at seq N / hash H"). Append-only; declared as an entity so drift checks cover the table.
 */
@Entity('ledger_legacy_heads')
export class LedgerLegacyHead {
  @PrimaryColumn('text') ledger!: string;
  @Column('bigint') records!: string;
  @Column('bigint', { name: 'last_seq', nullable: true }) lastSeq!: string | null;
  @Column('text', { name: 'last_hash', nullable: true }) lastHash!: string | null;
  @CreateDateColumn({ name: 'migrated_at', type: 'timestamptz' }) migratedAt!: Date;
}
