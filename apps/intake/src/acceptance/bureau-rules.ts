import { Inject, Injectable } from '@nestjs/common';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';

export interface AcceptanceRules {
  /** Working days the window has to decide before the application is deemed accepted (seed 001 text 10: 5). */
  acceptanceWindowDays: number;
  /** Working days an applicant has to correct after a one-time correction notice. */
  correctionWorkingDays: number;
  /** The 行政复议 body a 不予受理通知书 names. */
  reviewBody: string;
  /** The court of 行政诉讼 a 不予受理通知书 names. */
  court: string;
}

/** The acceptance periods of a bureau (tenant): the configured defaults, overridden per bureau. */
@Injectable()
export class BureauRules {
  constructor(@Inject(INTAKE_CONFIG) private readonly config: IntakeConfig) {}

  of(tenantId: string): AcceptanceRules {
    const own = Object.prototype.hasOwnProperty.call(this.config.INTAKE_BUREAU_RULES, tenantId) ? this.config.INTAKE_BUREAU_RULES[tenantId] : undefined;
    return {
      acceptanceWindowDays: own?.acceptanceWindowDays ?? this.config.INTAKE_ACCEPTANCE_WINDOW_DAYS,
      correctionWorkingDays: own?.correctionWorkingDays ?? this.config.INTAKE_CORRECTION_WORKING_DAYS,
      reviewBody: own?.reviewBody ?? this.config.INTAKE_REVIEW_BODY,
      court: own?.court ?? this.config.INTAKE_COURT,
    };
  }
}
