import type { ScopedObject } from '@gov/auth';
import type { Case } from './case.entity';

/**
 * Who may see a case (case detail, case view, case actions): its handling organisation, and for a 上报件 the
 * higher-level department it is reported to, whose officers work the called flow's steps.
 */
export function caseScope(c: Pick<Case, 'departmentCode' | 'reportsToDepartmentCode'>): ScopedObject {
  return { orgCode: c.departmentCode, sharedWith: c.reportsToDepartmentCode ? [c.reportsToDepartmentCode] : [] };
}
