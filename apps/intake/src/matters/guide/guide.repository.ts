import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HandlingLevel, MatterCategory, MatterKind, OnlineClass } from '../matter-version';

export interface GuideFilter {
  department?: string;
  level?: HandlingLevel;
  kind?: MatterKind;
  category?: MatterCategory;
  onlineClass?: OnlineClass;
  commitment?: boolean;
  q?: string;
  limit: number;
  offset: number;
}

export interface GuideRow {
  code: string;
  version: number;
  elements: unknown;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The public guide's reads: published versions in force of active matters, never a secret one. */
@Injectable()
export class GuideRepository {
  constructor(private readonly ds: DataSource) {}

  private static readonly PUBLIC = `
    FROM matter_versions v
    JOIN matters m ON m.code = v.code AND m.current_version = v.version AND m.active AND NOT m.secret
    WHERE v.state = 'published' AND NOT COALESCE((v.elements->>'secret')::boolean, false)`;

  async search(f: GuideFilter): Promise<{ rows: GuideRow[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.department) add((n) => `v.elements->>'departmentCode' = ${n}`, f.department);
    if (f.level) add((n) => `v.elements->'levels' ? ${n}`, f.level);
    if (f.kind) add((n) => `v.elements->>'kind' = ${n}`, f.kind);
    if (f.category) add((n) => `v.elements->>'category' = ${n}`, f.category);
    if (f.onlineClass) add((n) => `v.elements->>'onlineClass' = ${n}`, f.onlineClass);
    if (f.commitment !== undefined) add((n) => `(jsonb_typeof(v.elements->'commitment') = 'object') = ${n}`, f.commitment);
    if (f.q) {
      add(
        (n) =>
          `(v.code ILIKE ${n} OR v.elements->>'name' ILIKE ${n} OR COALESCE(v.elements->>'departmentName', '') ILIKE ${n} OR (v.elements->'legalBasis')::text ILIKE ${n} OR (v.elements->'conditions')::text ILIKE ${n} OR v.elements->'result'->>'name' ILIKE ${n})`,
        likePattern(f.q),
      );
    }
    const filter = `${GuideRepository.PUBLIC}${where.map((w) => ` AND ${w}`).join('')}`;
    const total = await this.ds.query<Array<{ n: string }>>(`SELECT count(*)::text AS n ${filter}`, params);
    const rows = await this.ds.query<GuideRow[]>(`SELECT v.code, v.version, v.elements ${filter} ORDER BY v.code LIMIT ${f.limit} OFFSET ${f.offset}`, params);
    return { rows, total: Number(total[0]?.n ?? 0) };
  }

  async one(code: string): Promise<GuideRow | null> {
    const rows = await this.ds.query<GuideRow[]>(`SELECT v.code, v.version, v.elements ${GuideRepository.PUBLIC} AND v.code = $1`, [code]);
    return rows[0] ?? null;
  }

  async many(codes: readonly string[]): Promise<GuideRow[]> {
    if (codes.length === 0) return [];
    return this.ds.query<GuideRow[]>(`SELECT v.code, v.version, v.elements ${GuideRepository.PUBLIC} AND v.code = ANY($1::text[])`, [codes]);
  }
}
