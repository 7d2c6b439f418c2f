import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A consultation (咨询) the matter's department owes an answer to. */
@Entity('consultations')
export class ConsultationEntity {
  @PrimaryColumn('uuid', { name: 'consultation_id' }) consultationId!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'case_number', nullable: true }) caseNumber!: string | null;
  @Column('timestamptz', { name: 'asked_at' }) askedAt!: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt!: Date | null;
  @Column('timestamptz', { name: 'overdue_at', nullable: true }) overdueAt!: Date | null;
}
