import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

@Entity('applications')
export class Application {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'case_number', unique: true }) caseNumber!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'applicant_kind' }) applicantKind!: 'person' | 'legal-entity';
  @Column('text', { name: 'applicant_id' }) applicantId!: string;
  @Column('text', { name: 'applicant_name' }) applicantName!: string;
  @Column('jsonb') form!: Record<string, unknown>;
  @Column('text') status!: string;
  @Column('timestamptz', { name: 'accepted_at' }) acceptedAt!: Date;
  @VersionColumn() version!: number;
}
