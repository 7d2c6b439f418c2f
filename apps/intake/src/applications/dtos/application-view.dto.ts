import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { ApiProperty } from '@nestjs/swagger';
import type { Application } from '../application.entity';

export class ApplicantViewDto {
  @ApiProperty({ enum: APPLICANT_KINDS }) kind!: ApplicantKind;
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

/** An application as the applicant and the handling organisation follow it (办件进度). */
export class ApplicationSummaryDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ example: '449900-20261122-000001' }) caseNumber!: string;
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty({ example: 'DEMO-SCJG-001' }) matterCode!: string;
  @ApiProperty({ example: 1, description: 'The version of the matter it was accepted under; the case keeps it whatever the catalogue later publishes' }) matterVersion!: number;
  @ApiProperty({ description: 'The organisation handling it, fixed at acceptance' }) departmentCode!: string;
  @ApiProperty({ example: '449900' }) tenantId!: string;
  @ApiProperty({ type: ApplicantViewDto }) applicant!: ApplicantViewDto;
  @ApiProperty({ format: 'date-time' }) acceptedAt!: string;

  static of(a: Application): ApplicationSummaryDto {
    return {
      applicationId: a.id,
      caseNumber: a.caseNumber,
      status: a.status,
      matterCode: a.matterCode,
      matterVersion: a.matterVersion,
      departmentCode: a.departmentCode,
      tenantId: a.tenantId,
      applicant: { kind: a.applicantKind, id: a.applicantId, name: a.applicantName },
      acceptedAt: a.acceptedAt.toISOString(),
    };
  }
}

export class ApplicationDetailDto extends ApplicationSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) form!: Record<string, unknown>;

  static detail(a: Application): ApplicationDetailDto {
    return { ...ApplicationSummaryDto.of(a), form: a.form };
  }
}

export class ApplicationPageDto {
  @ApiProperty({ type: ApplicationSummaryDto, isArray: true }) items!: ApplicationSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}
