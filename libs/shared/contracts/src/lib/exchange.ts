import { z } from 'zod';
import { APPLICANT_KINDS } from './applicant-kind';
import { CaseNumber } from './envelope';

// The exchange format (数据交换标准, seed 001 text 10 §(五)) in which a department that runs its own approval
// system sends its records to e-supervision, daily or as they happen. One record is one fact of one case; a batch is
// a JSON array of records, each validated on its own and refused with its line (1-based position) and reason.

const IsoTime = z.string().datetime({ offset: true });
/** A unified social credit code of an organisation (18 characters, GB 32100). */
const OrgCode = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code');
const WorkingDays = z.number().int().min(0).max(3650);
const Text = (max: number) => z.string().min(1).max(max);

const RecordBase = {
  /** The sending system's own id of this record: a record id seen again is a duplicate and is skipped. */
  recordId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'recordId: 1-100 letters, digits, . _ : -'),
  caseNumber: CaseNumber,
  /** The department that handles the case (its unified social credit code). */
  departmentCode: OrgCode,
  /** Where the case is handled (行政区划代码, 6 or 9 digits), when it differs from the department's own division. */
  divisionCode: z.string().regex(/^\d{6}(\d{3})?$/, 'divisionCode: 6 or 9 digits').optional(),
  occurredAt: IsoTime,
};

export const ExchangeCaseAccepted = z.object({
  ...RecordBase,
  kind: z.literal('case.accepted'),
  matterCode: Text(64),
  matterName: Text(200),
  applicant: z.object({ kind: z.enum(APPLICANT_KINDS), id: Text(64), name: Text(200) }),
  statutoryLimitWorkingDays: WorkingDays.min(1),
});

export const ExchangeStepOpened = z.object({
  ...RecordBase,
  kind: z.literal('step.opened'),
  stepId: Text(100),
  stepKey: Text(100),
  stepName: Text(200),
  /** Who may act, as `<role>:<organisation code>` (the platform's candidate groups). */
  candidateGroups: z.array(Text(200)).min(1).max(20),
  assignee: Text(100).optional(),
  timeLimitWorkingDays: WorkingDays,
});

export const ExchangeStepCompleted = z.object({
  ...RecordBase,
  kind: z.literal('step.completed'),
  stepId: Text(100),
  stepKey: Text(100),
  stepName: Text(200),
  candidateGroups: z.array(Text(200)).min(1).max(20),
  assignee: Text(100),
  timeLimitWorkingDays: WorkingDays,
  openedAt: IsoTime,
});

export const ExchangeCaseDecided = z.object({
  ...RecordBase,
  kind: z.literal('case.decided'),
  decision: z.enum(['approved', 'rejected']),
  documentNumber: Text(100),
});

/** One record of the exchange format. */
export const ExchangeRecord = z.discriminatedUnion('kind', [ExchangeCaseAccepted, ExchangeStepOpened, ExchangeStepCompleted, ExchangeCaseDecided]);
export type ExchangeRecordData = z.infer<typeof ExchangeRecord>;
export const EXCHANGE_RECORD_KINDS = ['case.accepted', 'step.opened', 'step.completed', 'case.decided'] as const;
export const EXCHANGE_BATCH_MAX = 5000;

/** A batch: what `POST /ingestion/batches` takes. */
export const ExchangeBatch = z.object({
  /** The sending system (e.g. `market-approval-v3`), recorded with every record. */
  system: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'system: lower-case letters, digits, . _ -, up to 64'),
  records: z.array(z.unknown()).min(1).max(EXCHANGE_BATCH_MAX),
});

/** The exchange format as JSON Schema (2020-12), for the AsyncAPI and OpenAPI documents. */
export function exchangeJsonSchemas(): Record<string, unknown> {
  const strip = (s: z.ZodType) => {
    const j = z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;
    delete j.$schema;
    return j;
  };
  return {
    ExchangeRecord: strip(ExchangeRecord),
    ExchangeBatch: { ...strip(ExchangeBatch.omit({ records: true })), properties: { ...(strip(ExchangeBatch.omit({ records: true })).properties as object), records: { type: 'array', minItems: 1, maxItems: EXCHANGE_BATCH_MAX, items: { $ref: '#/components/schemas/ExchangeRecord' } } }, required: ['system', 'records'] },
  };
}
