import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Application } from './application.entity';

/** The notices the acceptance regime gives, by kind; their data is rendered by the notices module. */
export const NOTICE_KINDS = ['receipt', 'acceptance', 'refusal', 'correction', 'with-missing', 'withdrawal', 'termination'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * One step of an application's acceptance history: who did what when (actor null: automatic, no officer), and the
 * data of the notice it gives (接件凭证, 受理通知书, 不予受理通知书, 一次性告知补正通知书, 容缺受理通知书, 准予撤回).
 */
@Entity('application_history')
@Index('application_history_application', ['applicationId', 'at'])
export class ApplicationHistory {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'application_id' }) applicationId!: string;
  @ManyToOne(() => Application, { nullable: false })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'application_history_application_id_fkey' })
  application?: Application;
  @Column('text') action!: string;
  @Column('text', { nullable: true }) notice!: NoticeKind | null;
  @Column('text', { nullable: true }) actor!: string | null;
  @Column('timestamptz') at!: Date;
  @Column('jsonb') data!: Record<string, unknown>;
}
