// The dimensions statistics are kept for: officers, sections, departments, and regions at three levels.

export const DIMENSIONS = ['officer', 'section', 'department', 'city', 'county', 'township'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** What a case is attributed to (its facts, as the events told them). */
export interface CaseAttribution {
  officerId: string | null;
  sectionCode: string | null;
  departmentCode: string | null;
  city: string | null;
  county: string | null;
  township: string | null;
}

export interface DimensionKey {
  dim: Dimension;
  key: string;
  /** The organisation whose supervisors may see the row: the department for officer/section/department rows, the region's division for region rows. */
  scope: string;
}

/**
 * The division code (行政区划代码) inside an organisation's unified social credit code: characters 3-8 (GB 32100).
 * Undefined for anything that is not such a code.
 */
export function divisionOfOrg(orgCode: string | null | undefined): string | undefined {
  if (!orgCode || !/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(orgCode)) return undefined;
  return orgCode.slice(2, 8);
}

/**
 * City, county and township of a case from the division where it is handled: a 6-digit county (or city) code, or a
 * 9-digit township code. A city's own departments (division ending in 00) count for the city but no county.
 */
export function regionsOf(division: string | undefined): { city: string | null; county: string | null; township: string | null } {
  if (!division || !/^\d{6}(\d{3})?$/.test(division)) return { city: null, county: null, township: null };
  const county6 = division.slice(0, 6);
  const city = `${division.slice(0, 4)}00`;
  return { city, county: county6.endsWith('00') ? null : county6, township: division.length === 9 ? division : null };
}

/** The organisation code in a candidate group `<role>:<organisation code>`. */
export function orgOfGroup(group: string): string | undefined {
  const i = group.indexOf(':');
  return i > 0 ? group.slice(i + 1) : undefined;
}

export function dimensionKeys(a: CaseAttribution): DimensionKey[] {
  const keys: DimensionKey[] = [];
  const dept = a.departmentCode;
  if (a.officerId && dept) keys.push({ dim: 'officer', key: a.officerId, scope: dept });
  if (a.sectionCode) keys.push({ dim: 'section', key: a.sectionCode, scope: a.sectionCode });
  if (dept) keys.push({ dim: 'department', key: dept, scope: dept });
  if (a.city) keys.push({ dim: 'city', key: a.city, scope: a.city });
  if (a.county) keys.push({ dim: 'county', key: a.county, scope: a.county });
  if (a.township) keys.push({ dim: 'township', key: a.township, scope: a.township });
  return keys;
}
