import { ApiProperty } from '@nestjs/swagger';
import { HANDLING_LEVELS, type HandlingLevel, MATTER_CATEGORIES, type MatterCategory, type MatterElements, ONLINE_CLASSES, type OnlineClass } from '../matter-version';
import type { Matter } from '../matter.entity';

/** A matter as the public catalogue (事项目录, 办事指南) shows it: the summary of the version in force. */
export class MatterDto {
  @ApiProperty({ example: 'DEMO-SCJG-001' }) code!: string;
  @ApiProperty({ example: '食品经营许可（演示）' }) name!: string;
  @ApiProperty({ enum: ['审批', '审核', '核准', '备案', '内部事务'] }) kind!: string;
  @ApiProperty({ description: 'Unified code of the organisation that handles it' }) departmentCode!: string;
  @ApiProperty({ example: '449900' }) tenantId!: string;
  @ApiProperty({ example: 'skeleton-approval' }) processKey!: string;
  @ApiProperty({ example: 7, description: 'The promised time limit (承诺时限), in working days' }) timeLimitWorkingDays!: number;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ example: 1, description: 'The version in force (published); applications record the version they were accepted under' }) version!: number;
  @ApiProperty({ enum: MATTER_CATEGORIES, nullable: true, description: 'null for a matter without a published version' }) category!: MatterCategory | null;
  @ApiProperty({ enum: HANDLING_LEVELS, isArray: true }) levels!: HandlingLevel[];
  @ApiProperty({ nullable: true, type: Number, description: 'The statutory time limit (法定时限), in working days' }) statutoryWorkingDays!: number | null;
  @ApiProperty({ enum: ONLINE_CLASSES, nullable: true, description: 'A online now, B later, C window only, D not online' }) onlineClass!: OnlineClass | null;
  @ApiProperty({ example: '/guide/matters/DEMO-SCJG-001', description: 'The service guide' }) guide!: string;

  static of(m: Matter, e: MatterElements | null = null): MatterDto {
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
      category: e?.category ?? null,
      levels: e?.levels ?? [],
      statutoryWorkingDays: e?.statutoryWorkingDays ?? null,
      onlineClass: e?.onlineClass ?? null,
      guide: `/guide/matters/${m.code}`,
    };
  }
}
