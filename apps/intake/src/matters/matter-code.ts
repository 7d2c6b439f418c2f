import { type PipeTransform } from '@nestjs/common';
import { IntakeErrors } from '../errors';

/**
 * The syntax every lookup by code accepts: capital letters, digits and dashes, up to 64 characters (e.g. DEMO-SCJG-001).
 * Codes already in a catalogue keep resolving whatever their structure; a NEW matter's code must also be a unified
 * matter code (below).
 */
export const MATTER_CODE_PATTERN = /^[0-9A-Z][0-9A-Z-]{0,63}$/;
export const MATTER_CODE_RULE = 'capital letters, digits and dashes, 1-64 characters, e.g. DEMO-SCJG-001';

/**
 * The unified matter code (事项编码), structured in the spirit of GB/T 39554.1 (region, department, main item, sub-item):
 *
 *     <区划>-<部门>-<主项>[-<子项>]      e.g. 449900-SCJG-001, 449901-SCJG-002-01, DEMO-ZRZY-001
 *
 * - 区划 (region): the 6-digit administrative division code (GB/T 2260) of the catalogue the matter belongs to, which
 *   is the bureau's tenant id; or `DEMO` for demonstration data;
 * - 部门 (department): 2-6 capital letters, the pinyin initials of the responsible department's line (SCJG 市场监管,
 *   ZRZY 自然资源, ZJ 住建, STHJ 生态环境, SW 税务, GA 公安, FG 发展改革, ...);
 * - 主项 (main item): 3 digits, 001-999, numbered within the region and department;
 * - 子项 (sub-item): optionally 2 digits, 01-99, for a sub-item of the main item.
 */
export const UNIFIED_MATTER_CODE = /^(DEMO|\d{6})-([A-Z]{2,6})-(\d{3})(?:-(\d{2}))?$/;
export const UNIFIED_MATTER_CODE_RULE = '<region>-<department>-<item>[-<sub-item>]: the tenant\'s 6-digit division code (or DEMO), 2-6 capital letters, 3 digits 001-999, optionally 2 digits 01-99; e.g. 449900-SCJG-001';

/** Why a code cannot be a new matter's unified code in the tenant's catalogue; null when it can. */
export function unifiedCodeProblem(code: string, tenantId: string): string | null {
  const m = UNIFIED_MATTER_CODE.exec(code);
  if (!m) return `code must be a unified matter code ${UNIFIED_MATTER_CODE_RULE}`;
  const [, region, , item, sub] = m;
  if (region !== 'DEMO' && region !== tenantId) return `code's region ${region} must be the catalogue's division code ${tenantId} (or DEMO)`;
  if (item === '000') return 'code\'s item number must be 001-999';
  if (sub === '00') return 'code\'s sub-item number must be 01-99';
  return null;
}

/** Types a `:code` path parameter: a malformed code is a 400 naming the parameter (`param.code`, as the kit's pipes do). */
export class MatterCodePipe implements PipeTransform<unknown, string> {
  constructor(private readonly field = 'param.code') {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !MATTER_CODE_PATTERN.test(value)) {
      const message = `${this.field} must be a matter code: ${MATTER_CODE_RULE}.`;
      throw IntakeErrors.error('InvalidMatterCode', message, { field: this.field, fields: [{ field: this.field, rule: 'matterCode', message }] });
    }
    return value;
  }
}
