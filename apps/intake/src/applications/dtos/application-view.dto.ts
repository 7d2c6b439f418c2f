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
  @ApiProperty({ enum: ['online', 'window'] }) channel!: string;
  @ApiProperty({ format: 'date-time', description: 'When it was received (接件)' }) receivedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When it was accepted (受理); null before' }) acceptedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['window', 'with-missing', 'deemed'] }) acceptanceMode!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'While awaiting the window: when it is deemed accepted' }) acceptanceDueAt!: string | null;

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
      channel: a.channel,
      receivedAt: a.receivedAt.toISOString(),
      acceptedAt: a.acceptedAt?.toISOString() ?? null,
      acceptanceMode: a.acceptanceMode,
      acceptanceDueAt: a.acceptanceDueAt?.toISOString() ?? null,
    };
  }
}

export class MaterialRefDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
}

export class ApplicationDetailDto extends ApplicationSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) form!: Record<string, unknown>;
  @ApiProperty({ type: MaterialRefDto, isArray: true, description: 'Materials received (the receipt, updated by corrections)' }) materials!: MaterialRefDto[];
  @ApiProperty({ type: MaterialRefDto, isArray: true, description: 'Materials promised for later under a 容缺 commitment' }) deferredMaterials!: MaterialRefDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Materials are frozen from acceptance on' }) materialsFrozenAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The window clerk who registered it on the applicant\'s behalf' }) registeredBy!: string | null;

  static detail(a: Application): ApplicationDetailDto {
    return { ...ApplicationSummaryDto.of(a), form: a.form, materials: a.materials, deferredMaterials: a.deferredMaterials, materialsFrozenAt: a.materialsFrozenAt?.toISOString() ?? null, registeredBy: a.registeredBy };
  }
}

export class ApplicationPageDto {
  @ApiProperty({ type: ApplicationSummaryDto, isArray: true }) items!: ApplicationSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}
