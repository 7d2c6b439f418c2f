import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A bureau's setting of one anomaly rule; `orgCode` '*' is the default for every bureau. */
@Entity('rule_settings')
export class RuleSettingEntity {
  @PrimaryColumn('text', { name: 'org_code' }) orgCode!: string;
  @PrimaryColumn('text') rule!: string;
  @Column('boolean', { default: true }) enabled!: boolean;
  @Column('jsonb', { default: () => "'{}'" }) params!: Record<string, unknown>;
}
