import { ApiProperty } from '@nestjs/swagger';
import type { Matter } from '../matter.entity';

/** A matter as the public catalogue (事项目录, 办事指南) shows it. */
export class MatterDto {
  @ApiProperty({ example: 'DEMO-SCJG-001' }) code!: string;
  @ApiProperty({ example: '食品经营许可（演示）' }) name!: string;
  @ApiProperty({ enum: ['审批', '审核', '核准', '备案', '内部事务'] }) kind!: string;
  @ApiProperty({ description: 'Unified code of the organisation that handles it' }) departmentCode!: string;
  @ApiProperty({ example: '449900' }) tenantId!: string;
  @ApiProperty({ example: 'skeleton-approval' }) processKey!: string;
  @ApiProperty({ example: 7 }) timeLimitWorkingDays!: number;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ example: 1, description: 'The version in force (published); applications record the version they were accepted under' }) version!: number;

  static of(m: Matter): MatterDto {
    return {
      code: m.code,
      name: m.name,
      kind: m.kind,
      departmentCode: m.departmentCode,
      tenantId: m.tenantId,
      processKey: m.processKey,
      timeLimitWorkingDays: m.timeLimitWorkingDays,
      legalBasis: m.legalBasis,
      version: m.currentVersion ?? 1,
    };
  }
}
