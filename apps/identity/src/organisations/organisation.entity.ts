import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

export type OrgKind = 'region' | 'department' | 'section';
export type RegionLevel = 'city' | 'county' | 'township';

/** A node of the organisation tree: region (city → county/district → township/street), department or section (处室). */
@Entity('organisations')
export class Organisation {
  /** Unified code (统一社会信用代码 of the organ). */
  @PrimaryColumn({ type: 'varchar', length: 18 })
  code!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: OrgKind;

  @Column({ type: 'varchar', length: 16, nullable: true })
  level!: RegionLevel | null;

  @Column({ name: 'parent_code', type: 'varchar', length: 18, nullable: true })
  parentCode!: string | null;

  /** Administrative division code (行政区划代码) of the region the node belongs to. */
  @Column({ name: 'division_code', type: 'varchar', length: 12 })
  divisionCode!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A department hands a matter (事项) down to a lower-level organisation (委托/下放). */
@Entity('org_matter_delegations')
@Unique('uq_org_matter_delegation', ['fromOrg', 'toOrg', 'matterCode'])
export class OrgMatterDelegation {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'from_org', type: 'varchar', length: 18 })
  fromOrg!: string;

  @Column({ name: 'to_org', type: 'varchar', length: 18 })
  toOrg!: string;

  @Column({ name: 'matter_code', type: 'varchar', length: 64 })
  matterCode!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
