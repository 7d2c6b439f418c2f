import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type DelegationMode = 'delegation' | 'ab_post';

/** A chief's time-bounded 授权 to a deputy, or an AB岗 backup pairing. */
@Entity('delegations')
export class Delegation {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index('ix_delegations_from')
  @Column({ name: 'from_user', type: 'uuid' })
  fromUser!: string;

  @Index('ix_delegations_to')
  @Column({ name: 'to_user', type: 'uuid' })
  toUser!: string;

  @Column({ name: 'org_code', type: 'varchar', length: 18 })
  orgCode!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ type: 'varchar', length: 16 })
  mode!: DelegationMode;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 255 })
  reason!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
