import type { ScopedObject } from '@gov/auth';
import type { Case } from './case.entity';

/**
 * Who may see a case (case detail, case view, case actions): its handling organisation, for a 上报件 the
 * higher-level department it is reported to, whose officers work the called flow's steps, and for a joint review
 * (并联审批) the co-reviewing departments, whose officers give the co-review opinions.
 */
export function caseScope(c: Pick<Case, 'departmentCode' | 'reportsToDepartmentCode'> & Partial<Pick<Case, 'coDepartmentCodes'>>): ScopedObject {
  return { orgCode: c.departmentCode, sharedWith: [...(c.reportsToDepartmentCode ? [c.reportsToDepartmentCode] : []), ...(c.coDepartmentCodes ?? [])] };
}
