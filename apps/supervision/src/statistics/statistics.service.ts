import { OrgScope, type Principal, Role } from '@gov/auth';
import { Injectable } from '@nestjs/common';
import { SupervisionErrors } from '../errors';
import { type Dimension, divisionOfOrg } from './dimensions';
import { figuresOf } from './rollup-math';
import type { StatisticsLine } from './statistics-export';
import type { HorizontalParams, VerticalParams } from './statistics.queries';
import { type RollupRow, StatisticsRepository } from './statistics.repository';

const REGION_DIMENSIONS: ReadonlySet<Dimension> = new Set(['city', 'county', 'township']);

/** Comparisons (横向: departments in one period; 纵向: one department over periods), limited to the caller's jurisdiction. */
@Injectable()
export class StatisticsService {
  constructor(private readonly repo: StatisticsRepository) {}

  async horizontal(q: HorizontalParams, principal: Principal): Promise<StatisticsLine[]> {
    const rows = await this.repo.horizontal(q.dimension, q.period, q.key, this.scopes(q.dimension, principal));
    return rows.map(lineOf);
  }

  async vertical(q: VerticalParams, principal: Principal): Promise<StatisticsLine[]> {
    const rows = await this.repo.vertical(q.dimension, q.key, q.period, q.from, q.to, this.scopes(q.dimension, principal));
    return rows.map(lineOf);
  }

  /**
   * Rows are visible by their scope: the caller's organisations (identity expands a region to everything below it) and,
   * for region rows, the divisions of those organisations. Region figures are for the supervision office only: a
   * department's leader would otherwise see the whole city through their department's division.
   */
  private scopes(dim: Dimension, principal: Principal): readonly string[] | undefined {
    const orgs = OrgScope.visibleOrgs(principal);
    if (orgs === undefined) return undefined;
    if (!REGION_DIMENSIONS.has(dim)) return orgs;
    if (!principal.roles.includes(Role.Supervisor) && !principal.roles.includes(Role.Sysadmin)) {
      throw SupervisionErrors.error('BadStatisticsQuery', `dimension: ${dim} figures are for the supervision office; ask for department, section or officer`, { field: 'dimension' });
    }
    return [...new Set(orgs.map(divisionOfOrg).filter((d): d is string => d !== undefined))];
  }
}

export function lineOf(r: RollupRow): StatisticsLine {
  return { dimension: r.dim, key: r.dimKey, period: r.period, periodKey: r.periodKey, ...figuresOf(r) };
}
