import { Injectable } from '@nestjs/common';
import { IntakeErrors } from '../../errors';
import { type HandlingLevel, type Material, type MatterElements, MatterElementsSchema, onlineRefusal } from '../matter-version';
import { type DocumentText, DOCX_TYPE, PDF_TYPE, docxDocument, pdfDocument } from './documents';
import type { CommitmentListDto, GuideDto, GuideMaterialDto, GuidePageDto, GuideSearchQuery, GuideSummaryDto } from './guide.dto';
import { GuideRepository, type GuideRow } from './guide.repository';
import { TemplateStore } from './template-store';
import { TEMPLATE_FILE_PATTERN, type TemplateFile } from './templates';

const LEVEL_NAMES: Record<HandlingLevel, string> = { city: '市级', county: '区县级', township: '乡镇（街道）级' };
const FORM_NAMES: Record<Material['form'], string> = { original: '原件', copy: '复印件', originalAndCopy: '原件及复印件' };
const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPG', 'image/png': 'PNG', 'image/tiff': 'TIFF', 'application/ofd': 'OFD' };
export const COMMITMENT_TEMPLATE = 'commitment-letter.docx';

const templateUrl = (file: string) => `/guide/templates/${encodeURIComponent(file)}`;
const guideUrl = (code: string) => `/guide/matters/${code}`;

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
}

function validityText(months: number | null): string {
  if (months === null) return '长期有效';
  return months % 12 === 0 ? `有效期 ${months / 12} 年` : `有效期 ${months} 个月`;
}

function elementsOf(row: GuideRow): MatterElements {
  return MatterElementsSchema.parse(row.elements);
}

/** The public service guide (办事指南): published, non-secret matters, in the applicant's words. */
@Injectable()
export class GuideService {
  constructor(
    private readonly repo: GuideRepository,
    private readonly templates: TemplateStore,
  ) {}

  async search(q: GuideSearchQuery): Promise<GuidePageDto> {
    const limit = q.limit ?? 20;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.search({
      department: q.department,
      level: q.level,
      kind: q.kind,
      category: q.category,
      onlineClass: q.onlineClass,
      commitment: q.commitment === undefined ? undefined : q.commitment === 'true',
      q: q.q?.trim(),
      limit,
      offset,
    });
    return { items: rows.map((r) => this.summary(r)), total, limit, offset };
  }

  private summary(row: GuideRow): GuideSummaryDto {
    const e = elementsOf(row);
    return {
      code: row.code,
      version: row.version,
      name: e.name,
      kind: e.kind,
      category: e.category,
      department: { code: e.departmentCode, name: e.departmentName },
      levels: e.levels,
      promisedWorkingDays: e.promisedWorkingDays,
      onlineClass: e.onlineClass,
      commitment: e.commitment !== null,
      guide: guideUrl(row.code),
    };
  }

  private async published(code: string): Promise<{ row: GuideRow; e: MatterElements }> {
    const row = await this.repo.one(code);
    if (!row) throw IntakeErrors.error('MatterNotFound', `Matter ${code} is not in the public catalogue; search it with GET /guide/matters.`, { field: 'param.code' });
    return { row, e: elementsOf(row) };
  }

  async guide(code: string): Promise<GuideDto> {
    const { row, e } = await this.published(code);
    const members = await this.repo.many(e.bundle);
    const byCode = new Map(members.map((m) => [m.code, elementsOf(m)]));
    const refusal = onlineRefusal(e);
    const levels = e.levels.map((l) => LEVEL_NAMES[l]).join('、');
    const handledBy = [
      `${levels}办理`,
      ...(e.delegatedTo ? [`已下放${LEVEL_NAMES[e.delegatedTo]}办理`] : []),
      ...(e.reportsUpTo ? [`由${e.reportsTo?.departmentName ?? `${LEVEL_NAMES[e.reportsUpTo]}部门`}审查决定（上报件），${LEVEL_NAMES[e.levels[0] ?? 'county']}受理并制发送达`] : []),
      ...(e.coReviewers.length > 0 ? [`${e.departmentName ?? '主办部门'}牵头，会同${e.coReviewers.map((c) => c.departmentName).join('、')}并联审批`] : []),
    ].join('；');
    const steps = e.stepLimits.map((s) => ({ name: s.name, workingDays: s.workingDays }));
    const limitsText = `法定办结时限 ${e.statutoryWorkingDays} 个工作日，承诺办结时限 ${e.promisedWorkingDays} 个工作日${steps.length > 0 ? `（${steps.map((s) => `${s.name} ${s.workingDays} 个工作日`).join('，')}）` : ''}；自受理之日起计算。`;
    return {
      code: row.code,
      version: row.version,
      name: e.name,
      kind: e.kind,
      category: e.category,
      department: { code: e.departmentCode, name: e.departmentName },
      levels: e.levels,
      handledBy,
      reportsTo: e.reportsTo ? { code: e.reportsTo.departmentCode, name: e.reportsTo.departmentName } : null,
      coReviewers: e.coReviewers.map((c) => ({ code: c.departmentCode, name: c.departmentName })),
      legalBasis: e.legalBasis,
      conditions: e.conditions,
      materials: e.materials.map((m) => this.material(m)),
      timeLimits: { statutoryWorkingDays: e.statutoryWorkingDays, promisedWorkingDays: e.promisedWorkingDays, steps, text: limitsText },
      fees: e.fees.map((f) => ({ name: f.name, standard: f.standard, amountFen: f.amountFen, basis: f.basis, payment: f.payment })),
      feesText: e.fees.length === 0 ? '不收费' : e.fees.map((f) => `${f.name}：${f.standard}（${f.payment}）`).join('；'),
      form: { title: typeof e.formSchema['title'] === 'string' ? e.formSchema['title'] : `${e.name}申请表`, schema: `${guideUrl(row.code)}/form`, printable: `${guideUrl(row.code)}/form?format=pdf` },
      result: {
        name: e.result.name,
        validityMonths: e.result.validityMonths,
        annualInspection: e.result.annualInspection,
        text: `${e.result.name}，${validityText(e.result.validityMonths)}，${e.result.annualInspection ? '须年检' : '无需年检'}`,
      },
      consultation: e.consultation,
      complaint: e.complaint,
      online: {
        class: e.onlineClass,
        canApplyOnline: refusal === null,
        onlineFrom: e.onlineFrom,
        text: refusal ?? '可全程网上办理：网上申请、网上受理、网上审批、结果送达。',
      },
      commitment: e.commitment
        ? {
            template: templateUrl(e.commitment.template),
            verifyWithinWorkingDays: e.commitment.verifyWithinWorkingDays,
            text: `本事项实行告知承诺制：申请人签署告知承诺书、承诺符合条件的，当场或当日作出决定；部门在决定后 ${e.commitment.verifyWithinWorkingDays} 个工作日内核查，承诺不实的依法撤销决定并记入信用记录。`,
          }
        : null,
      bundle: e.bundle.map((c) => {
        const m = byCode.get(c);
        return { code: c, name: m?.name ?? null, department: m ? { code: m.departmentCode, name: m.departmentName } : null };
      }),
    };
  }

  private material(m: Material): GuideMaterialDto {
    const requirement = [m.required ? '必须提交' : '非必须（符合情形的提交）', `${FORM_NAMES[m.form]} ${m.copies} 份`, ...(m.mayBeDeferred ? ['可容缺受理，须在容缺期限内补齐'] : [])].join('；');
    return {
      key: m.key,
      name: m.name,
      required: m.required,
      requirement,
      template: m.templateFile ? templateUrl(m.templateFile) : null,
      mayBeDeferred: m.mayBeDeferred,
      fromIssuedLicence: m.fromIssuedLicence ? `已在本平台领取${m.fromIssuedLicence}电子证照的，免予提交` : null,
      accepts: `${m.contentTypes.map((t) => TYPE_NAMES[t] ?? t).join('、')} 格式，单个文件不超过 ${megabytes(m.maxBytes)}`,
      note: m.note,
    };
  }

  /** The form: its JSON Schema, or a printable PDF / DOCX with a line per field. */
  async form(code: string, format: 'json' | 'pdf' | 'docx'): Promise<{ contentType: string; body: Buffer | Record<string, unknown>; file: string }> {
    const { e } = await this.published(code);
    if (format === 'json') return { contentType: 'application/schema+json', body: e.formSchema, file: `${code}-form.json` };
    const doc = printableForm(e);
    return format === 'pdf' ? { contentType: PDF_TYPE, body: pdfDocument(doc), file: `${code}-form.pdf` } : { contentType: DOCX_TYPE, body: docxDocument(doc), file: `${code}-form.docx` };
  }

  async template(file: string): Promise<TemplateFile> {
    if (!TEMPLATE_FILE_PATTERN.test(file)) {
      const message = 'param.file must be a template file name: lower-case letters, digits and dashes, ending .pdf or .docx.';
      throw IntakeErrors.error('InvalidTemplateName', message, { field: 'param.file', fields: [{ field: 'param.file', rule: 'templateFile', message }] });
    }
    const found = await this.templates.find(file);
    if (!found) throw IntakeErrors.error('TemplateNotFound', `The guide has no template ${file}.`, { field: 'param.file' });
    return found;
  }

  async commitmentMatters(): Promise<CommitmentListDto> {
    const { rows } = await this.repo.search({ commitment: true, limit: 1000, offset: 0 });
    return {
      template: templateUrl(COMMITMENT_TEMPLATE),
      items: rows.map((r) => {
        const e = elementsOf(r);
        const c = e.commitment ?? { template: COMMITMENT_TEMPLATE, verifyWithinWorkingDays: 0 };
        return { code: r.code, name: e.name, department: { code: e.departmentCode, name: e.departmentName }, template: templateUrl(c.template), verifyWithinWorkingDays: c.verifyWithinWorkingDays, guide: guideUrl(r.code) };
      }),
    };
  }
}

interface FieldSchema {
  title?: unknown;
  type?: unknown;
  enum?: unknown;
}

/** A printable form: one line per field of the schema (its title, required or not, the choices of an enum). */
export function printableForm(e: MatterElements): DocumentText {
  const title = typeof e.formSchema['title'] === 'string' ? e.formSchema['title'] : `${e.name}申请表`;
  const properties = (e.formSchema['properties'] ?? {}) as Record<string, FieldSchema>;
  const required = new Set(Array.isArray(e.formSchema['required']) ? (e.formSchema['required'] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
  const lines = Object.entries(properties).map(([key, f]) => {
    const label = typeof f.title === 'string' ? f.title : key;
    const choices = Array.isArray(f.enum) ? f.enum.map((c) => `□${String(c)}`).join(' ') : '______________________________';
    return `${label}${required.has(key) ? '（必填）' : ''}：${choices}`;
  });
  return {
    title,
    paragraphs: [
      `事项：${e.name}`,
      `受理部门：${e.departmentName ?? e.departmentCode}`,
      '申请人：______________________  证件号码 / 统一社会信用代码：______________________',
      ...lines,
      '申请人承诺所填内容及所附材料真实、有效。',
      '申请人（签字或盖章）：____________        日期：____年__月__日',
    ],
  };
}
