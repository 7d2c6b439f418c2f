import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * Append-only, hash-chained audit trail (the `identity.audit` ledger of @gov/ledger): one chain per service
 * (`chain_partition`, `chain_seq`). Rows from before the ledger have no partition and form the frozen legacy chain.
 * The database refuses UPDATE/DELETE/TRUNCATE to the application role.
 */
@Entity('audit_log')
@Index('audit_log_chain', ['chainPartition', 'chainSeq'], { unique: true })
@Index('audit_log_service', ['service', 'seq'])
@Index('audit_log_trace', ['traceId'])
export class AuditRecord {
  /** Global order of the trail (listing, paging); the chain order is (chain_partition, chain_seq). */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Who: user id, client id, or the attempted username for failed logins. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  actor!: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 255, nullable: true })
  actorLabel!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  target!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  /** From where: client IP. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /** The service where it happened ('identity' for identity's own records; others arrive on platform.audit.v1). */
  @Column({ type: 'varchar', length: 32, default: 'identity' })
  service!: string;

  /** The request's trace id (x-request-id / traceparent), to find every record of one request across services. */
  @Column({ name: 'trace_id', type: 'varchar', length: 64, nullable: true })
  traceId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  /** The chain (one per service); null for the legacy chain written before the ledger. */
  @Column({ name: 'chain_partition', type: 'text', collation: 'C', nullable: true })
  chainPartition!: string | null;

  @Column({ name: 'chain_seq', type: 'bigint', nullable: true })
  chainSeq!: string | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
