import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { Matter } from '../matters/matter.entity';

/**
 * Where an application is in the acceptance regime (seed 001 text 3 art. 10-11, text 10):
 * received (接件) → accepted | accepted-with-missing (容缺) | refused (不予受理) | correction-requested (一次性告知补正)
 * → corrected → decided anew; after acceptance the case runs and ends decided, withdrawn (准予撤回) or terminated.
 */
export const APPLICATION_STATUSES = ['received', 'correction-requested', 'corrected', 'accepted', 'accepted-with-missing', 'refused', 'withdrawn', 'terminated', 'decided'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** Awaiting the window's acceptance decision (the deemed-acceptance clock runs). */
export const AWAITING_DECISION: readonly ApplicationStatus[] = ['received', 'corrected'];
/** Accepted: a case runs. */
export const RUNNING: readonly ApplicationStatus[] = ['accepted', 'accepted-with-missing'];

export const CHANNELS = ['online', 'window'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ACCEPTANCE_MODES = ['window', 'with-missing', 'deemed'] as const;
export type AcceptanceMode = (typeof ACCEPTANCE_MODES)[number];

export interface MaterialEntry {
  key: string;
  name: string;
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

@Entity('applications')
@Index('applications_applicant', ['applicantId'])
@Index('applications_department', ['departmentCode'])
@Index('applications_status_due', ['status', 'acceptanceDueAt'])
@Index('applications_received', ['receivedAt', 'id'])
@Index('applications_bundle', ['bundleId'])
@Check('applications_applicant_kind_check', `applicant_kind IN (${list(APPLICANT_KINDS)})`)
@Check('applications_status_check', `status IN (${list(APPLICATION_STATUSES)})`)
@Check('applications_channel_check', `channel IN (${list(CHANNELS)})`)
@Check('applications_acceptance_mode_check', `acceptance_mode IS NULL OR acceptance_mode IN (${list(ACCEPTANCE_MODES)})`)
export class Application {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'case_number', unique: true }) caseNumber!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @ManyToOne(() => Matter, { nullable: false })
  @JoinColumn({ name: 'matter_code', foreignKeyConstraintName: 'applications_matter_code_fkey' })
  matter?: Matter;
  /** The version of the matter it was received under (the catalogue's `matter_versions`); running cases keep it. */
  @Column('int', { name: 'matter_version', default: 1 }) matterVersion!: number;
  /** The organisation handling it, fixed at receipt. */
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'applicant_kind' }) applicantKind!: ApplicantKind;
  @Column('text', { name: 'applicant_id' }) applicantId!: string;
  @Column('text', { name: 'applicant_name' }) applicantName!: string;
  @Column('jsonb') form!: Record<string, unknown>;
  @Column('text') status!: ApplicationStatus;
  @Column('text', { default: 'online' }) channel!: Channel;
  /** The window clerk who registered it on the applicant's behalf (and checked their identity); null online. */
  @Column('text', { name: 'registered_by', nullable: true }) registeredBy!: string | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  /** The end of the window's 5 working days (per bureau): silent until then, it is deemed accepted. */
  @Column('timestamptz', { name: 'acceptance_due_at', nullable: true }) acceptanceDueAt!: Date | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt!: Date | null;
  @Column('text', { name: 'acceptance_mode', nullable: true }) acceptanceMode!: AcceptanceMode | null;
  /** The clerk who accepted; null when deemed accepted. */
  @Column('text', { name: 'accepted_by', nullable: true }) acceptedBy!: string | null;
  /** The matter's promised limit (承诺时限) at receipt, in working days. */
  @Column('int', { name: 'time_limit_working_days', default: 1 }) timeLimitWorkingDays!: number;
  @Column('timestamptz', { name: 'promised_deadline', nullable: true }) promisedDeadline!: Date | null;
  @Column('timestamptz', { name: 'correction_deadline', nullable: true }) correctionDeadline!: Date | null;
  /** The receipt's list of materials received (接件凭证), updated by a correction. */
  @Column('jsonb', { default: () => "'[]'" }) materials!: MaterialEntry[];
  /** Materials promised under a 容缺 commitment and not yet delivered. */
  @Column('jsonb', { name: 'deferred_materials', default: () => "'[]'" }) deferredMaterials!: MaterialEntry[];
  @Column('timestamptz', { name: 'deferred_deadline', nullable: true }) deferredDeadline!: Date | null;
  /** Set on acceptance: no replacement or addition of materials from then on (seed 001 text 3, art. 11). */
  @Column('timestamptz', { name: 'materials_frozen_at', nullable: true }) materialsFrozenAt!: Date | null;
  @Column('timestamptz', { name: 'withdrawal_requested_at', nullable: true }) withdrawalRequestedAt!: Date | null;
  @Column('text', { name: 'withdrawal_reason', nullable: true }) withdrawalReason!: string | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  /** The joint-window application (联合受理) this one is a department's part of; null for any other. */
  @Column('uuid', { name: 'bundle_id', nullable: true }) bundleId!: string | null;
  @ManyToOne(() => Application, { nullable: true })
  @JoinColumn({ name: 'bundle_id', foreignKeyConstraintName: 'applications_bundle_id_fkey' })
  bundle?: Application | null;
  @VersionColumn({ default: 1 }) version!: number;
}
