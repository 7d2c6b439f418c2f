import { z } from 'zod';

// The elements of an approval matter (事项要素) as the catalogue holds them, one version at a time (seed 000 and 002 for
// the elements, seed 004 art. 14 and 16 for the change procedure). This module is the shared model of intake: the
// catalogue stores and versions it, the guide renders it, acceptance reads its materials and limits, notices print it.
// A running case keeps the version it was accepted under (`MatterVersionRef`).

/** 审批 / 审核 / 核准 / 备案 / 内部事务: how the matter is decided. */
export const MATTER_KINDS = ['审批', '审核', '核准', '备案', '内部事务'] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];

/** 行政许可 / 非行政许可 / 公共服务: the legal category. */
export const MATTER_CATEGORIES = ['行政许可', '非行政许可', '公共服务'] as const;
export type MatterCategory = (typeof MATTER_CATEGORIES)[number];

export const HANDLING_LEVELS = ['city', 'county', 'township'] as const;
export type HandlingLevel = (typeof HANDLING_LEVELS)[number];

/**
 * Online class: A online now; B online later (with a reason and the date); C window only; D not online at all.
 * Only class A is offered and accepted online.
 */
export const ONLINE_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type OnlineClass = (typeof ONLINE_CLASSES)[number];

/** Lifecycle of one version (seed 004 art. 14, 16): drafted by the department, approved by its head, filed, published. */
export const VERSION_STATES = ['draft', 'submitted', 'approved', 'filed', 'published', 'retired', 'rejected'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/** A material slot of the matter (申请材料). */
export const MaterialSchema = z.object({
  /** Stable key of the slot within the matter (letters, digits, `_`, `-`), used by uploads and notices. */
  key: z.string().regex(/^[a-z][a-zA-Z0-9_-]{0,63}$/, 'material key: a lower-case letter then letters, digits, "_" or "-" (at most 64)'),
  name: z.string().min(1).max(200),
  required: z.boolean(),
  /** 原件 / 复印件 / 原件及复印件 */
  form: z.enum(['original', 'copy', 'originalAndCopy']),
  copies: z.number().int().min(1).max(20).default(1),
  /** Template file offered for download in the guide, by file name in the matter's template store. */
  templateFile: z.string().max(200).nullable().default(null),
  /** May be missing at acceptance (容缺受理): only such a material may be promised for later. */
  mayBeDeferred: z.boolean().default(false),
  /** Can be taken from a licence the platform already issued (免提交, 证照复用) instead of uploaded. */
  fromIssuedLicence: z.string().max(100).nullable().default(null),
  /** Content types accepted for this slot (checked by content, not by name). */
  contentTypes: z.array(z.enum(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/ofd'])).min(1).default(['application/pdf', 'image/jpeg', 'image/png']),
  maxBytes: z.number().int().min(1024).max(200 * 1024 * 1024).default(20 * 1024 * 1024),
  note: z.string().max(1000).default(''),
});
export type Material = z.infer<typeof MaterialSchema>;

/** A fee (收费项目), with its standard, legal basis and how it is paid. */
export const FeeSchema = z.object({
  name: z.string().min(1).max(200),
  /** Standard in the applicant's words (e.g. "每件 50 元"), and the amount in fen when it is fixed. */
  standard: z.string().min(1).max(500),
  amountFen: z.number().int().min(0).nullable().default(null),
  basis: z.string().min(1).max(500),
  payment: z.string().min(1).max(200),
});
export type Fee = z.infer<typeof FeeSchema>;

/** A per-step time limit of the flow, in working days, by BPMN step key. */
export const StepLimitSchema = z.object({
  step: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/),
  name: z.string().min(1).max(100),
  workingDays: z.number().int().min(1).max(365),
});
export type StepLimit = z.infer<typeof StepLimitSchema>;

/** The higher-level department a 上报件 goes to (seed 003: 县级受理、市级审批、县级制发). */
export const ReportsToSchema = z
  .object({
    /** The higher level's tenant (its division code), e.g. 449900 for 示范市. */
    tenantId: z.string().regex(/^\d{6}$/, 'reportsTo.tenantId: the six-digit division code of the higher level\'s tenant'),
    /** Unified credit code of the higher-level department (or of its section) whose officers work the city steps. */
    departmentCode: z.string().length(18),
    departmentName: z.string().min(1).max(200),
  })
  .strict();
export type ReportsTo = z.infer<typeof ReportsToSchema>;

/** A co-reviewing department of a parallel joint review (并联审批 / 会签, seed 003), in the lead department's tenant. */
export const CoReviewerSchema = z
  .object({
    /** Unified credit code of the department (or of its section) whose handlers give the co-review opinion. */
    departmentCode: z.string().length(18),
    departmentName: z.string().min(1).max(200),
  })
  .strict();
export type CoReviewer = z.infer<typeof CoReviewerSchema>;

/** The whole of one matter version's elements. The code and version number sit beside it, not inside. */
export const MatterElementsSchema = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(MATTER_KINDS),
    category: z.enum(MATTER_CATEGORIES),
    /** Unified credit code of the responsible department. */
    departmentCode: z.string().length(18),
    /** The department's name as the guide shows it (the catalogue does not look it up in identity). */
    departmentName: z.string().min(1).max(200).nullable().default(null),
    /** Levels that handle it; `delegatedTo` names a lower level the handling is delegated to (下放), if any. */
    levels: z.array(z.enum(HANDLING_LEVELS)).min(1),
    delegatedTo: z.enum(HANDLING_LEVELS).nullable().default(null),
    /** A county case that the city's department reviews and signs off (上报件). */
    reportsUpTo: z.enum(HANDLING_LEVELS).nullable().default(null),
    /**
     * The higher-level department of a 上报件 (its tenant, unified credit code and name): the flow's call into that
     * tenant (`cityTenantId`, `cityDepartmentCode`). Required when `reportsUpTo` is set, and only then (checked when a
     * version is written: `parseElements`, so versions stored before the element read as they are).
     */
    reportsTo: ReportsToSchema.nullable().default(null),
    /**
     * The departments a parallel joint review (并联审批 / 会签) sends the case to at once, beside the responsible (lead)
     * department: the flow's multi-instance over `coDepartments`. Empty for a matter one department decides alone.
     */
    coReviewers: z.array(CoReviewerSchema).max(20).default([]),
    legalBasis: z.array(z.string().min(1).max(1000)).min(1),
    conditions: z.array(z.string().min(1).max(2000)).default([]),
    materials: z.array(MaterialSchema).default([]),
    /** Statutory (法定) and promised (承诺) limits in working days; promised ≤ statutory. */
    statutoryWorkingDays: z.number().int().min(1).max(365),
    promisedWorkingDays: z.number().int().min(1).max(365),
    stepLimits: z.array(StepLimitSchema).default([]),
    fees: z.array(FeeSchema).default([]),
    /** JSON Schema (draft 2020-12 subset) of the application form. */
    formSchema: z.record(z.string(), z.unknown()),
    result: z.object({
      /** Licence or document issued (e.g. 食品经营许可证) and its validity in months (null: no expiry). */
      name: z.string().min(1).max(200),
      validityMonths: z.number().int().min(1).max(1200).nullable().default(null),
      annualInspection: z.boolean().default(false),
    }),
    consultation: z.string().min(1).max(500),
    complaint: z.string().min(1).max(500),
    onlineClass: z.enum(ONLINE_CLASSES),
    /** For class B: why not yet, and when online handling starts. */
    onlineLaterReason: z.string().max(500).nullable().default(null),
    onlineFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().default(null),
    /** A secret matter is never offered or accepted online (and is not in the public guide). */
    secret: z.boolean().default(false),
    /** Notification-commitment (告知承诺制) is open for this matter, with the commitment template's file name. */
    commitment: z.object({ template: z.string().min(1).max(200), verifyWithinWorkingDays: z.number().int().min(1).max(365) }).nullable().default(null),
    /** Matters of a joint-window bundle (联合受理) this matter fans out to, by code (for a bundle matter only). */
    bundle: z.array(z.string()).default([]),
    /** BPMN process key the case runs on. */
    processKey: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/),
  })
  .superRefine((m, ctx) => {
    if (m.promisedWorkingDays > m.statutoryWorkingDays) ctx.addIssue({ code: 'custom', path: ['promisedWorkingDays'], message: 'the promised limit cannot exceed the statutory limit' });
    if (m.onlineClass === 'B' && (!m.onlineLaterReason || !m.onlineFrom)) ctx.addIssue({ code: 'custom', path: ['onlineLaterReason'], message: 'class B needs the reason and the date online handling starts' });
    if (m.secret && m.onlineClass === 'A') ctx.addIssue({ code: 'custom', path: ['onlineClass'], message: 'a secret matter cannot be offered online (class A)' });
    const keys = m.materials.map((x) => x.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['materials'], message: `material key ${dup} appears twice` });
    if (m.delegatedTo && !m.levels.includes(m.delegatedTo)) ctx.addIssue({ code: 'custom', path: ['delegatedTo'], message: 'delegatedTo must be one of the handling levels' });
  });
export type MatterElements = z.infer<typeof MatterElementsSchema>;

/** One stored version of a matter. */
export interface MatterVersion {
  code: string;
  version: number;
  tenantId: string;
  state: VersionState;
  elements: MatterElements;
  draftedBy: string;
  approvedBy: string | null;
  filedBy: string | null;
  publishedAt: Date | null;
}

/** What a case remembers of the catalogue: the matter and the version it was accepted under. */
export interface MatterVersionRef {
  code: string;
  version: number;
}

/** May the public apply for this matter online? The reason, when not, is the message the applicant sees. */
export function onlineRefusal(m: Pick<MatterElements, 'secret' | 'onlineClass' | 'onlineFrom' | 'name'>): string | null {
  if (m.secret) return `${m.name} is a secret matter and is not handled online; apply at the department's window.`;
  switch (m.onlineClass) {
    case 'A':
      return null;
    case 'B':
      return `${m.name} is not yet handled online${m.onlineFrom ? ` (online from ${m.onlineFrom})` : ''}; apply at the window.`;
    case 'C':
      return `${m.name} is handled at the window only.`;
    case 'D':
      return `${m.name} is not handled online.`;
  }
}
