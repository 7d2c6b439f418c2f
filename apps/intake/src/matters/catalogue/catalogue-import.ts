import { OrgScope, type Principal, Role, actingSubject, actorLabel } from '@gov/auth';
import { findIllFormedText, runIdempotent, textFindingMessage } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../../errors';
import { MATTER_CODE_PATTERN, MATTER_CODE_RULE, unifiedCodeProblem } from '../matter-code';
import type { MatterElements } from '../matter-version';
import { type CatalogueEntry, CsvUnreadable, type ImportRow, exportCsv, exportJson, readCsv, readJson } from './catalogue-io';
import { ChangeProcedure, DRAFTING_ROLES } from './change-procedure';
import { parseElements, uncoveredFields } from './elements';
import { recordMatterChange } from './matter-changes';
import { MatterVersionsRepository, toMatterVersion } from './matter-versions.repository';

/** Who may load a catalogue file: the departments' officers, and the bureau's platform administrator. */
export const IMPORT_ROLES: readonly Role[] = [...DRAFTING_ROLES, Role.Sysadmin];
export const IMPORT_MAX_ROWS = 5000;

export interface RowProblem {
  line: number;
  code: string | null;
  field: string;
  message: string;
}

export interface ImportResult {
  importId: string | null;
  drafted: Array<{ line: number; code: string; version: number }>;
  unchanged: Array<{ line: number; code: string }>;
}

interface Checked {
  row: ImportRow;
  code: string;
  tenantId: string;
  elements: MatterElements;
}

/**
 * Loading a whole catalogue from a file (JSON or CSV). Every row is checked first (its elements, its code, the
 * caller's organisations, the catalogue as it stands); one bad row refuses the whole file with every problem listed
 * by line, and nothing is written. A good file becomes one draft per changed matter, in one transaction, all sharing
 * the import's id: the drafts then go through the change procedure like any other (submit, the head's approval,
 * filing, publication), one by one or for the whole import at once. Rows equal to the version in force are left out.
 */
@Injectable()
export class CatalogueImport {
  constructor(
    private readonly ds: DataSource,
    private readonly versions: MatterVersionsRepository,
    private readonly procedure: ChangeProcedure,
  ) {}

  parse(format: 'json' | 'csv', body: unknown): ImportRow[] {
    try {
      return format === 'csv' ? readCsv(String(body)) : readJson(body);
    } catch (e) {
      if (e instanceof CsvUnreadable) {
        const where = format === 'csv' ? `line ${e.line}` : 'the body';
        throw IntakeErrors.error('ImportRejected', `The file cannot be read as a catalogue (${where}: ${e.message}); nothing was imported.`, { rows: [{ line: e.line, code: null, field: 'file', message: e.message }], count: 1 });
      }
      throw e;
    }
  }

  async run(format: 'json' | 'csv', rows: ImportRow[], idempotencyKey: string, principal: Principal, request: unknown): Promise<{ result: ImportResult; replayed: boolean }> {
    this.procedure.assertRole(principal, IMPORT_ROLES, 'Importing a catalogue');
    if (rows.length === 0) throw IntakeErrors.error('ImportRejected', 'The file has no matters; nothing was imported.', { rows: [], count: 0 });
    if (rows.length > IMPORT_MAX_ROWS) throw IntakeErrors.error('ImportTooLarge', `The file has ${rows.length} matters; import at most ${IMPORT_MAX_ROWS} at once.`, { maxRows: IMPORT_MAX_ROWS });
    const problems: RowProblem[] = [];
    const checked: Checked[] = [];
    const seen = new Map<string, number>();
    const unit = format === 'csv' ? 'line' : 'entry';
    for (const row of rows) {
      const problem = (field: string, message: string) => problems.push({ line: row.line, code: row.code, field, message });
      if (row.problem) {
        problem(row.problem.field, row.problem.message);
        continue;
      }
      // A CSV cell's JSON can spell NUL or a lone surrogate (\u0000, \ud800), which no text column can store.
      const illFormed = findIllFormedText({ code: row.code, tenantId: row.tenantId, elements: row.elements, note: row.note });
      if (illFormed) {
        problem(illFormed.field, textFindingMessage(illFormed));
        continue;
      }
      if (row.code === null || !MATTER_CODE_PATTERN.test(row.code)) {
        problem('code', `code must be a matter code: ${MATTER_CODE_RULE}`);
        continue;
      }
      if (row.tenantId === null || !/^\d{6}$/.test(row.tenantId)) {
        problem('tenantId', 'tenantId must be a 6-digit division code, e.g. 449900');
        continue;
      }
      const earlier = seen.get(row.code);
      if (earlier !== undefined) {
        problem('code', `${row.code} appears already on ${unit} ${earlier}`);
        continue;
      }
      seen.set(row.code, row.line);
      const parsed = parseElements(row.elements, '');
      if (!parsed.ok) {
        for (const i of parsed.issues.slice(0, 5)) problem(i.field, i.message);
        continue;
      }
      if (!OrgScope.canActOn(principal, { orgCode: parsed.elements.departmentCode })) {
        problem('departmentCode', `departmentCode ${parsed.elements.departmentCode} is not one of your organisations`);
        continue;
      }
      checked.push({ row, code: row.code, tenantId: row.tenantId, elements: parsed.elements });
    }
    return runIdempotent(this.ds, `catalogue-imports:${principal.subject}`, idempotencyKey, request, async (manager) => {
      const codes = checked.map((c) => c.code);
      const matters = new Map((await this.versions.lockMatters(manager, codes)).map((m) => [m.code, m]));
      const open = new Map((await this.versions.openVersions(manager, codes)).map((v) => [v.code, v]));
      const inForce = new Map((await this.versions.publishedOf(manager, codes)).map((v) => [v.code, toMatterVersion(v)]));
      const inFile = new Map(checked.map((c) => [c.code, c]));
      const bundleMembers = [...new Set(checked.flatMap((c) => c.elements.bundle))].filter((m) => !inFile.has(m));
      const published = new Map((await this.versions.publishedOf(manager, bundleMembers)).map((v) => [v.code, toMatterVersion(v)]));
      const toDraft: Checked[] = [];
      const unchanged: ImportResult['unchanged'] = [];
      for (const c of checked) {
        const problem = (field: string, message: string) => problems.push({ line: c.row.line, code: c.code, field, message });
        const matter = matters.get(c.code);
        if (!matter) {
          const p = unifiedCodeProblem(c.code, c.tenantId);
          if (p) {
            problem('code', p);
            continue;
          }
        } else {
          if (matter.tenantId !== c.tenantId) {
            problem('tenantId', `tenantId must be ${matter.tenantId}: ${c.code} belongs to that catalogue`);
            continue;
          }
          if (!OrgScope.canActOn(principal, { orgCode: matter.departmentCode })) {
            problem('code', `${c.code} is handled by ${matter.departmentCode}, not one of your organisations`);
            continue;
          }
        }
        const bad = c.elements.bundle.find((m) => m === c.code || !(inFile.has(m) || published.has(m)) || (inFile.get(m)?.elements.bundle.length ?? published.get(m)?.elements.bundle.length ?? 0) > 0);
        if (bad) {
          problem('bundle', `bundle member ${bad} must be another matter, published or in this file, and not itself a bundle`);
          continue;
        }
        const uncovered = c.elements.bundle
          .map((m) => ({ m, missing: uncoveredFields(c.elements.formSchema, (inFile.get(m)?.elements ?? published.get(m)?.elements)?.formSchema ?? {}) }))
          .find((x) => x.missing.length > 0);
        if (uncovered) {
          problem('formSchema', `the combined form lacks ${uncovered.missing.join(', ')}, which ${uncovered.m}'s form requires`);
          continue;
        }
        const current = inForce.get(c.code);
        if (current && current.tenantId === c.tenantId && isDeepStrictEqual(current.elements, c.elements)) {
          unchanged.push({ line: c.row.line, code: c.code });
          continue;
        }
        const openVersion = open.get(c.code);
        if (openVersion) {
          problem('code', `${c.code} already has version ${openVersion.version} in the change procedure (${openVersion.state})`);
          continue;
        }
        toDraft.push(c);
      }
      if (problems.length > 0) {
        problems.sort((a, b) => a.line - b.line);
        const first = problems[0];
        throw IntakeErrors.error(
          'ImportRejected',
          `${problems.length} problem${problems.length > 1 ? 's' : ''} in the file; nothing was imported. First: ${unit} ${first.line}${first.code ? ` (${first.code})` : ''}, ${first.field || 'elements'}: ${first.message}.`,
          { rows: problems.slice(0, 200), count: problems.length, unit },
        );
      }
      const importId = toDraft.length > 0 ? randomUUID() : null;
      const at = new Date();
      const drafted: ImportResult['drafted'] = [];
      for (const c of toDraft) {
        if (!matters.has(c.code)) await this.versions.insertMatter(manager, c.code, c.tenantId, c.elements);
        const version = (await this.versions.maxVersion(manager, c.code)) + 1;
        await this.versions.insertVersion(manager, {
          code: c.code,
          version,
          tenantId: c.tenantId,
          state: 'draft',
          elements: c.elements,
          note: c.row.note,
          draftedBy: actingSubject(principal),
          draftedByName: actorLabel(principal),
          draftedAt: at,
          importId,
        });
        await recordMatterChange(manager, { code: c.code, version, action: 'imported', actor: actingSubject(principal), actorLabel: actorLabel(principal), at, details: { importId, [unit]: c.row.line, format, roles: principal.roles } });
        drafted.push({ line: c.row.line, code: c.code, version });
      }
      return { importId, drafted, unchanged };
    });
  }

  /** The versions in force the caller's organisations handle (all of them for a city-level officer), by code. */
  async entries(principal: Principal, tenantId?: string): Promise<CatalogueEntry[]> {
    const rows = await this.versions.allPublished();
    return rows
      .filter((r) => (tenantId === undefined || r.tenantId === tenantId) && OrgScope.canActOn(principal, { orgCode: r.elements.departmentCode }))
      .map((r) => {
        const v = toMatterVersion(r);
        return { code: v.code, tenantId: v.tenantId, version: v.version, elements: v.elements };
      });
  }

  async export(format: 'json' | 'csv', principal: Principal, tenantId?: string): Promise<string> {
    const entries = await this.entries(principal, tenantId);
    return format === 'csv' ? exportCsv(entries) : exportJson(entries, new Date());
  }
}
