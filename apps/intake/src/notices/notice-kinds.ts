import { APPLICANT_KINDS, NOTICE_KINDS, type NoticeKindName } from '@gov/contracts';
import { z } from 'zod';

/**
 * The notices intake issues and the data each one carries (seed 001 text 3 art. 10-11, text 10). The acceptance
 * use cases call `NoticeIssuer.issue(kind, data)` with these shapes; the issuer validates them again, so a notice
 * is never rendered from half the facts.
 *
 * Dates are calendar dates `YYYY-MM-DD` (as printed), instants ISO 8601 with an offset.
 */
export const NoticeKind = {
  /** 接件凭证: materials received, decision on acceptance within 5 working days (text 10). */
  Receipt: 'receipt',
  /** 受理通知书 / 行政审批受理单: 收件清单, 受理日期, 承诺期限, 收件人姓名 (text 3 art. 10 (一)). */
  Acceptance: 'acceptance',
  /** 不予受理通知书: the reasons and the applicant's remedies (text 3 art. 10 (三)). */
  Refusal: 'refusal',
  /** 一次性告知补正材料通知书: every missing or defective item at once (text 3 art. 10 (二), text 10). */
  Correction: 'correction',
  /** 容缺受理通知书: what is missing and the deadline, never later than the promised limit. */
  AcceptanceWithMissing: 'acceptance-with-missing',
  /** 准予撤回行政审批申请决定书 (text 3 art. 11). */
  Withdrawal: 'withdrawal',
  /** 准予行政许可决定书 / 行政许可批准通知 (text 3 art. 19 (三)). */
  ApprovalDecision: 'approval-decision',
  /** 不予许可决定书: the reasons and the applicant's remedies (text 3 art. 20). */
  RefusalDecision: 'refusal-decision',
  /** The licence itself (电子证照, 许可证书: text 3 art. 19 (三) “制作书面文件及许可证书”). */
  Licence: 'licence',
  /** 备案回执: the filing was received and recorded (filing.bpmn, decision = filed); no licence. */
  FilingReceipt: 'filing-receipt',
  /** 撤销行政许可决定书: an approval revoked (告知承诺制: a false commitment), with the record and the remedies. */
  RevocationDecision: 'revocation-decision',
  /** 缴费通知书: the fees determined, how and by when to pay, and that unpaid the application is refused (text 3 art. 19 (二), 20). */
  PaymentNotice: 'payment-notice',
} as const satisfies Record<string, NoticeKindName>;
export type NoticeKind = NoticeKindName;
export const ALL_NOTICE_KINDS: readonly NoticeKind[] = NOTICE_KINDS;

const Text = (max: number) => z.string().trim().min(1).max(max);
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar date YYYY-MM-DD');
const Instant = z.iso.datetime({ offset: true });

/** What the window holds of a material the list names: a file received, a slot declared with no file, or owed under 容缺. */
export const NOTICE_MATERIAL_STATUSES = ['received', 'not-received', 'deferred'] as const;

/** One line of a 收件清单: a file received (its slot's name and the file's), or a slot declared but not received. */
export const NoticeMaterial = z.object({
  /** The material slot's name. */
  name: Text(200),
  /** The name of the file received; absent for a slot with no file. */
  fileName: Text(255).optional(),
  /** 原件 or 复印件. */
  form: z.enum(['original', 'copy']).default('copy'),
  /** Copies received: 0 for a slot declared but not received. */
  copies: z.number().int().min(0).max(999).default(1),
  /** Pages, where known. */
  pages: z.number().int().min(1).max(100_000).optional(),
  status: z.enum(NOTICE_MATERIAL_STATUSES).default('received'),
});

const Base = z.object({
  applicationId: z.uuid(),
  caseNumber: Text(64),
  applicant: z.object({ kind: z.enum(APPLICANT_KINDS), id: Text(64), name: Text(200) }),
  matter: z.object({ code: Text(64), name: Text(200) }),
  /** The organisation handling the application; the notice carries the seal of its department. */
  departmentCode: Text(18),
  /** Where notifications about this notice go, beside the mail drop. */
  contact: z.object({ email: z.email().optional(), phone: z.string().regex(/^\+?\d{5,20}$/, 'digits, optionally with a leading +').optional() }).optional(),
});

export const ReceiptData = Base.extend({
  receivedAt: Instant,
  /** The window officer who received the materials (收件人). */
  officer: Text(100),
  materials: z.array(NoticeMaterial).max(400),
  /** The last day the window decides on acceptance (5 working days, text 10). */
  decisionDueDate: CalendarDate,
});

export const AcceptanceData = Base.extend({
  receivedAt: Instant,
  acceptedAt: Instant,
  officer: Text(100),
  materials: z.array(NoticeMaterial).max(400),
  promisedWorkingDays: z.number().int().min(1).max(1000),
  promisedCompletionDate: CalendarDate,
  /** Accepted by law because the window did not decide within 5 working days (text 10): counts from receipt. */
  deemed: z.boolean().default(false),
  /** A joint window's combined notice (一窗受理, seed 003): the departments' parts it was accepted into. */
  jointWindow: z
    .array(z.object({ caseNumber: Text(64), matterName: Text(200), promisedWorkingDays: z.number().int().min(1).max(1000), promisedCompletionDate: CalendarDate }))
    .min(1)
    .max(50)
    .optional(),
  /** A department's part of a joint window: the joint-window application it was accepted with. */
  jointWindowOf: z.object({ caseNumber: Text(64), matterName: Text(200) }).optional(),
});

export const RefusalData = Base.extend({
  receivedAt: Instant,
  refusedAt: Instant,
  officer: Text(100),
  reasons: z.array(Text(500)).min(1).max(50),
  legalBasis: Text(500).optional(),
  /** 行政复议机关. */
  reviewBody: Text(100),
  /** 行政诉讼 court. */
  court: Text(100),
});

export const CorrectionData = Base.extend({
  receivedAt: Instant,
  officer: Text(100),
  /** Every missing or defective item, at once. */
  items: z.array(z.object({ material: Text(200), problem: Text(500) })).min(1).max(200),
  deadline: CalendarDate,
  /** The n-th correction notice of this application (1 for the first). */
  round: z.number().int().min(1).max(99).default(1),
});

export const AcceptanceWithMissingData = Base.extend({
  receivedAt: Instant,
  acceptedAt: Instant,
  officer: Text(100),
  materials: z.array(NoticeMaterial).max(400),
  missing: z.array(z.object({ material: Text(200), form: z.enum(['original', 'copy']).default('copy'), note: Text(500).optional() })).min(1).max(100),
  /** When the missing materials must be in: never later than the promised completion date. */
  deadline: CalendarDate,
  promisedWorkingDays: z.number().int().min(1).max(1000),
  promisedCompletionDate: CalendarDate,
  commitmentSignedAt: Instant,
}).refine((d) => d.deadline <= d.promisedCompletionDate, { path: ['deadline'], message: 'the deadline for missing materials may not be later than the promised completion date' });

export const WithdrawalData = Base.extend({
  requestedAt: Instant,
  approvedAt: Instant,
  officer: Text(100),
  reason: Text(500).optional(),
});

// ---- decision documents and the licence (issue 9 §3; seed 001 text 3 art. 19-21) ----

/** What every decision document carries: approval's 文号 and date, who signed, on what basis. */
const DecisionBase = Base.extend({
  /** The decision's 文号, as approval numbered it (the document carries it). */
  documentNumber: Text(64),
  decidedAt: Instant,
  /** The officer who signed the decision (签发), when approval names them. */
  decidedBy: Text(200).optional(),
  legalBasis: Text(1000).optional(),
});

export const ApprovalDecisionData = DecisionBase.extend({
  /** The licence issued with the decision, if the matter's result is one. */
  licence: z.object({ number: Text(64), type: Text(200), validFrom: CalendarDate, validTo: CalendarDate.nullable() }).optional(),
  /** A 上报件 approved by the higher authority (text 3 art. 19 (一)). */
  higherApprovalAt: Instant.optional(),
});

export const RefusalDecisionData = DecisionBase.extend({
  reasons: z.array(Text(1000)).min(1).max(50),
  /** 行政复议机关 (within 60 days). */
  reviewBody: Text(100),
  /** 行政诉讼 court (within 6 months). */
  court: Text(100),
});

export const LicenceData = Base.extend({
  licenceNumber: Text(64),
  /** The licence's name from the catalogue's result (e.g. 食品经营许可证). */
  licenceType: Text(200),
  /** 许可范围 / 经营项目. */
  scope: Text(1000),
  validFrom: CalendarDate,
  /** null: no expiry. */
  validTo: CalendarDate.nullable(),
  /** The decision it was issued on. */
  decisionDocumentNumber: Text(64),
}).refine((d) => d.validTo === null || d.validTo >= d.validFrom, { path: ['validTo'], message: 'a licence cannot expire before it is valid' });

/** 备案回执 (filing.bpmn): the filing was checked and recorded under approval's 文号. */
export const FilingReceiptData = DecisionBase;

/** 撤销行政许可决定书: which decision is revoked, why, the record against the applicant, the remedies. */
export const RevocationDecisionData = DecisionBase.extend({
  /** The 文号 of the decision revoked. */
  revokesDocumentNumber: Text(64),
  reasons: z.array(Text(1000)).min(1).max(50),
  /** The licence revoked with it, when the decision issued one. */
  licenceNumber: Text(64).optional(),
  /** The record against the applicant (虚假承诺失信记录, seed 003). */
  creditRecord: Text(500),
  /** 行政复议机关 (within 60 days). */
  reviewBody: Text(100),
  /** 行政诉讼 court (within 6 months). */
  court: Text(100),
});
/** 缴费通知书 (text 3 art. 13, 19 (二), 20): the items the handler determined, how to pay, the deadline, the consequence. */
export const PaymentNoticeData = Base.extend({
  /** The approval's payment request it carries (one per case). */
  items: z
    .array(z.object({ name: Text(200), amountFen: z.number().int().min(0).max(1_000_000_000_00), basis: Text(500), payment: Text(200) }))
    .min(1)
    .max(50),
  totalFen: z.number().int().min(1).max(1_000_000_000_00),
  requestedAt: Instant,
  /** The last moment to pay; unpaid by then the application is refused (不予许可, art. 20). */
  deadline: Instant,
}).refine((d) => d.totalFen === d.items.reduce((sum, i) => sum + i.amountFen, 0), { path: ['totalFen'], message: 'the total must be the sum of the items' });

export const NOTICE_DATA = {
  receipt: ReceiptData,
  acceptance: AcceptanceData,
  refusal: RefusalData,
  correction: CorrectionData,
  'acceptance-with-missing': AcceptanceWithMissingData,
  withdrawal: WithdrawalData,
  'approval-decision': ApprovalDecisionData,
  'refusal-decision': RefusalDecisionData,
  licence: LicenceData,
  'filing-receipt': FilingReceiptData,
  'revocation-decision': RevocationDecisionData,
  'payment-notice': PaymentNoticeData,
} as const satisfies Record<NoticeKind, z.ZodType>;

/** What a caller passes for each kind (defaults may be left out). */
export type NoticeInput<K extends NoticeKind> = z.input<(typeof NOTICE_DATA)[K]>;
/** The validated data, defaults filled in. */
export type NoticeData<K extends NoticeKind> = z.output<(typeof NOTICE_DATA)[K]>;
export type AnyNoticeData = { [K in NoticeKind]: { kind: K; data: NoticeData<K> } }[NoticeKind];

/** 文书 names and the short word of their 文号. */
export const NOTICE_TITLES: Record<NoticeKind, { title: string; word: string }> = {
  receipt: { title: '接件凭证', word: '接' },
  acceptance: { title: '受理通知书', word: '受' },
  refusal: { title: '不予受理通知书', word: '不受' },
  correction: { title: '一次性告知补正材料通知书', word: '补' },
  'acceptance-with-missing': { title: '容缺受理通知书', word: '容' },
  withdrawal: { title: '准予撤回申请决定书', word: '撤' },
  'approval-decision': { title: '准予行政许可决定书', word: '许' },
  'refusal-decision': { title: '不予行政许可决定书', word: '不许' },
  licence: { title: '电子证照', word: '证' },
  'filing-receipt': { title: '备案回执', word: '备' },
  'revocation-decision': { title: '撤销行政许可决定书', word: '撤销' },
  'payment-notice': { title: '缴费通知书', word: '缴' },
};

/** The kinds whose 文号 is not intake's: a decision carries approval's, a licence its licence number. */
function ownNumberOf(n: AnyNoticeData): string | null {
  switch (n.kind) {
    case 'approval-decision':
    case 'refusal-decision':
    case 'filing-receipt':
    case 'revocation-decision':
      return n.data.documentNumber;
    case 'licence':
      return n.data.licenceNumber;
    case 'receipt':
    case 'acceptance':
    case 'refusal':
    case 'correction':
    case 'acceptance-with-missing':
    case 'withdrawal':
    case 'payment-notice':
      return null;
  }
}

/** The key that makes issuing idempotent: one notice per application and kind (per round for corrections). */
export function noticeKey(n: AnyNoticeData): string {
  return n.kind === 'correction' ? `${n.kind}:${n.data.applicationId}:${n.data.round}` : `${n.kind}:${n.data.applicationId}`;
}

/** 文号: e.g. 受字〔2026〕449900-20261122-000001号, a correction's later rounds with -2, -3. */
export function documentNumberOf(n: AnyNoticeData, issuedAt: Date): string {
  const own = ownNumberOf(n);
  if (own) return own;
  const year = shanghaiDate(issuedAt).slice(0, 4);
  const round = n.kind === 'correction' && n.data.round > 1 ? `-${n.data.round}` : '';
  return `${NOTICE_TITLES[n.kind].word}字〔${year}〕${n.data.caseNumber}${round}号`;
}

/** The calendar date in China Standard Time (UTC+8, no daylight saving). */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** 1234.50 元 from fen. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}元`;
}

/** 2026年12月2日 (GB/T 9704 dates in Arabic numerals). */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function chineseDateOf(at: Date | string): string {
  return chineseDate(shanghaiDate(typeof at === 'string' ? new Date(at) : at));
}
