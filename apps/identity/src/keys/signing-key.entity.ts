import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A token signing key. Published from creation; signs from `activates_at` until `retires_at`; stays published
 * until `publish_until` (= retirement + longest token lifetime), so no valid token ever loses its key.
 */
@Entity('signing_keys')
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ name: 'private_key_enc', type: 'text' })
  privateKeyEnc!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'activates_at', type: 'timestamptz' })
  activatesAt!: Date;

  @Column({ name: 'retires_at', type: 'timestamptz', nullable: true })
  retiresAt!: Date | null;

  @Column({ name: 'publish_until', type: 'timestamptz', nullable: true })
  publishUntil!: Date | null;
}
