import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A case that may be rated, from events: who applied (accepted) and when it was decided. */
@Entity('rating_cases')
export class RatingCaseEntity {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'applicant_id', nullable: true }) applicantId!: string | null;
  @Column('text', { name: 'department_code', nullable: true }) departmentCode!: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
}

/** One rating: of a case's service, or of the rectification of a bad rating. */
@Entity('ratings')
@Index('ratings_one_per_case', ['caseNumber', 'kind'], { unique: true })
export class RatingEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text') kind!: 'service' | 'rectification';
  /** The overall grade, 1-5. */
  @Column('int') grade!: number;
  @Column('jsonb') grades!: Record<string, number>;
  @Column('text', { name: 'indicator_set' }) indicatorSet!: string;
  @Column('text', { nullable: true }) comment!: string | null;
  @Column('text', { name: 'applicant_subject' }) applicantSubject!: string;
  @Column('timestamptz', { name: 'rated_at' }) ratedAt!: Date;
}

/** The rectification (整改) a bad rating opened: due in working days, done by the department, rated by the applicant. */
@Entity('rectifications')
@Index('rectifications_department', ['departmentCode', 'status'])
export class RectificationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'rating_id' }) ratingId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'department_code', nullable: true }) departmentCode!: string | null;
  @Column('text', { name: 'applicant_id', nullable: true }) applicantId!: string | null;
  @Column('text') status!: 'open' | 'done' | 'rated';
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('timestamptz') deadline!: Date;
  @Column('timestamptz', { name: 'done_at', nullable: true }) doneAt!: Date | null;
  @Column('text', { name: 'done_by', nullable: true }) doneBy!: string | null;
  @Column('text', { nullable: true }) action!: string | null;
  @Column('uuid', { name: 'follow_up_rating_id', nullable: true }) followUpRatingId!: string | null;
  @Column('int', { default: 1 }) version!: number;
}
