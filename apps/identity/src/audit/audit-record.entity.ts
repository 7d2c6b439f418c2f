import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Append-only, hash-chained audit trail. The database refuses UPDATE/DELETE/TRUNCATE to the application role. */
@Entity('audit_log')
export class AuditRecord {
  @PrimaryColumn({ type: 'bigint' })
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

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
