import { type AnyNoticeData, NOTICE_TITLES, type NoticeData, chineseDate, chineseDateOf, yuan } from './notice-kinds';

/** One block of an official notice, top to bottom. */
export type LayoutBlock =
  | { type: 'title'; text: string }
  | { type: 'number'; text: string }
  | { type: 'addressee'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'fields'; rows: Array<[string, string]> }
  | { type: 'table'; columns: Array<{ header: string; share: number }>; rows: string[][] }
  | { type: 'signature'; department: string; date: string };

export interface NoticeLayout {
  title: string;
  documentNumber: string;
  blocks: LayoutBlock[];
}

export interface LayoutContext {
  documentNumber: string;
  /** The department whose seal the notice carries. */
  departmentName: string;
  issuedAt: Date;
}

const FORM = { original: '原件', copy: '复印件' } as const;
const STATUS = { received: '已收', 'not-received': '未收', deferred: '容缺后补' } as const;

/** 收件清单: every file received with its slot, then the slots declared but not received, marked as such. */
function materialsTable(materials: NoticeData<'acceptance'>['materials']): LayoutBlock {
  return {
    type: 'table',
    columns: [
      { header: '序号', share: 0.08 },
      { header: '材料名称', share: 0.3 },
      { header: '收到的文件', share: 0.28 },
      { header: '原件/复印件', share: 0.12 },
      { header: '份数/页数', share: 0.11 },
      { header: '状态', share: 0.11 },
    ],
    rows:
      materials.length === 0
        ? [['—', '（无）', '', '', '', '']]
        : materials.map((m, i) => [
            String(i + 1),
            m.name,
            m.fileName ?? '—',
            FORM[m.form],
            m.status === 'received' ? `${m.copies}${m.pages ? `/${m.pages}页` : ''}` : '—',
            STATUS[m.status],
          ]),
  };
}

function basics(d: Pick<NoticeData<'receipt'>, 'applicant' | 'matter' | 'caseNumber'>): Array<[string, string]> {
  return [
    ['申请人', d.applicant.name],
    ['申请事项', `${d.matter.name}（${d.matter.code}）`],
    ['申办编号', d.caseNumber],
  ];
}

/** Remedies every refusal must state (行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: 6 months). */
export function remediesText(reviewBody: string, court: string): string {
  return `如不服本决定，可以自收到本通知书之日起六十日内向${reviewBody}申请行政复议，或者自收到本通知书之日起六个月内依法向${court}提起行政诉讼。`;
}

/** The official form of each notice as blocks: pure, so the same data always lays out the same. */
export function layoutNotice(n: AnyNoticeData, ctx: LayoutContext): NoticeLayout {
  // A licence is titled by its type (食品经营许可证), every other notice by its kind.
  const title = n.kind === 'licence' ? n.data.licenceType : NOTICE_TITLES[n.kind].title;
  const head: LayoutBlock[] = [
    { type: 'title', text: title },
    { type: 'number', text: ctx.documentNumber },
    { type: 'addressee', text: `${n.data.applicant.name}：` },
  ];
  const sign: LayoutBlock = { type: 'signature', department: ctx.departmentName, date: chineseDateOf(ctx.issuedAt) };
  const body = ((): LayoutBlock[] => {
    switch (n.kind) {
      case 'receipt': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）于${chineseDateOf(d.receivedAt)}提交的${d.matter.name}申请已收到，收件清单如下（标注“未收”的为已申报、尚未收到文件的材料）。本机关将在${chineseDate(d.decisionDueDate)}前作出是否受理的决定；需要补正的，将一次性书面告知需要补正的全部内容，逾期不告知的，自收到申请材料之日起即为受理。` },
          { type: 'fields', rows: [...basics(d), ['收件日期', chineseDateOf(d.receivedAt)], ['收件人', d.officer]] },
          materialsTable(d.materials),
          { type: 'paragraph', text: '本凭证仅证明申请材料已经收到，不表示申请已被受理。' },
        ];
      }
      case 'acceptance': {
        const d = n.data;
        const opening = d.deemed
          ? `你（单位）于${chineseDateOf(d.receivedAt)}提交的${d.matter.name}申请，本机关未在五个工作日内作出是否受理的决定，依法自收到申请材料之日（${chineseDateOf(d.receivedAt)}）起视为受理。`
          : `你（单位）于${chineseDateOf(d.receivedAt)}提交的${d.matter.name}申请，申请材料齐全、符合法定形式，本机关决定予以受理。`;
        return [
          { type: 'paragraph', text: opening },
          {
            type: 'fields',
            rows: [
              ...basics(d),
              ['受理日期', chineseDateOf(d.deemed ? d.receivedAt : d.acceptedAt)],
              ['承诺期限', `${d.promisedWorkingDays}个工作日（${chineseDate(d.promisedCompletionDate)}前办结）`],
              ['收件人', d.officer],
            ],
          },
          ...(d.jointWindowOf
            ? [{ type: 'paragraph', text: `本件系${d.jointWindowOf.matterName}（联合受理申办编号${d.jointWindowOf.caseNumber}）经联合受理窗口一并受理的部门办件，由本机关依法办理。` } as LayoutBlock]
            : []),
          ...(d.jointWindow
            ? [
                { type: 'paragraph', text: '本申请经联合受理窗口一并受理，分送下列部门并联办理：' } as LayoutBlock,
                {
                  type: 'table',
                  columns: [
                    { header: '序号', share: 0.08 },
                    { header: '部门办件编号', share: 0.32 },
                    { header: '办理事项', share: 0.4 },
                    { header: '承诺期限', share: 0.2 },
                  ],
                  rows: d.jointWindow.map((p, i) => [String(i + 1), p.caseNumber, p.matterName, `${p.promisedWorkingDays}个工作日（${chineseDate(p.promisedCompletionDate)}前）`]),
                } as LayoutBlock,
              ]
            : []),
          materialsTable(d.materials),
          { type: 'paragraph', text: '申请一经受理，申请材料不得再行补正、替换；确需更正或者补充的，可以申请撤回。' },
        ];
      }
      case 'refusal': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）于${chineseDateOf(d.receivedAt)}提交的${d.matter.name}申请，经审查，本机关决定不予受理，理由如下：` },
          ...d.reasons.map((r, i): LayoutBlock => ({ type: 'paragraph', text: `${i + 1}. ${r}` })),
          ...(d.legalBasis ? [{ type: 'paragraph', text: `依据：${d.legalBasis}` } as LayoutBlock] : []),
          { type: 'fields', rows: [...basics(d), ['经办人', d.officer]] },
          { type: 'paragraph', text: remediesText(d.reviewBody, d.court) },
        ];
      }
      case 'correction': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）于${chineseDateOf(d.receivedAt)}提交的${d.matter.name}申请，申请材料不齐全或者不符合法定形式。现一次性告知需要补正的全部内容如下，请于${chineseDate(d.deadline)}前补正。逾期未补正或者补正后仍不符合要求的，本机关将不予受理。` },
          { type: 'fields', rows: [...basics(d), ['经办人', d.officer]] },
          {
            type: 'table',
            columns: [
              { header: '序号', share: 0.1 },
              { header: '材料', share: 0.35 },
              { header: '需补正的内容', share: 0.55 },
            ],
            rows: d.items.map((it, i) => [String(i + 1), it.material, it.problem]),
          },
        ];
      }
      case 'acceptance-with-missing': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）于${chineseDateOf(d.receivedAt)}提交的${d.matter.name}申请，主要申请材料齐全，你（单位）已于${chineseDateOf(d.commitmentSignedAt)}签署容缺承诺书，本机关决定予以容缺受理。请于${chineseDate(d.deadline)}前补齐下列材料；逾期未补齐的，本申请终止办理。` },
          {
            type: 'fields',
            rows: [
              ...basics(d),
              ['受理日期', chineseDateOf(d.acceptedAt)],
              ['承诺期限', `${d.promisedWorkingDays}个工作日（${chineseDate(d.promisedCompletionDate)}前办结）`],
              ['补齐期限', chineseDate(d.deadline)],
              ['收件人', d.officer],
            ],
          },
          {
            type: 'table',
            columns: [
              { header: '序号', share: 0.1 },
              { header: '容缺材料', share: 0.45 },
              { header: '原件/复印件', share: 0.18 },
              { header: '说明', share: 0.27 },
            ],
            rows: d.missing.map((m, i) => [String(i + 1), m.material, FORM[m.form], m.note ?? '']),
          },
          { type: 'paragraph', text: '已收材料：' },
          materialsTable(d.materials),
        ];
      }
      case 'withdrawal': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）于${chineseDateOf(d.requestedAt)}提出撤回${d.matter.name}申请（申办编号${d.caseNumber}）的请求${d.reason ? `，理由：${d.reason}` : ''}。经审查，本机关决定准予撤回。该申请的办理自${chineseDateOf(d.approvedAt)}起终止。` },
          { type: 'fields', rows: [...basics(d), ['准予撤回日期', chineseDateOf(d.approvedAt)], ['经办人', d.officer]] },
          { type: 'paragraph', text: '你（单位）可以在更正或者补充材料后重新提出申请。' },
        ];
      }
      case 'approval-decision': {
        const d = n.data;
        const higher = d.higherApprovalAt ? `，经报上级机关批准（批文于${chineseDateOf(d.higherApprovalAt)}下达）` : '';
        return [
          { type: 'paragraph', text: `你（单位）提出的${d.matter.name}申请（申办编号${d.caseNumber}），经审查，符合法定条件、标准${higher}。${d.legalBasis ? `根据${d.legalBasis}的规定，` : ''}本机关决定准予行政许可。` },
          {
            type: 'fields',
            rows: [
              ...basics(d),
              ['决定日期', chineseDateOf(d.decidedAt)],
              ...(d.decidedBy ? ([['签发人', d.decidedBy]] as Array<[string, string]>) : []),
              ...(d.licence
                ? ([
                    ['证照名称', d.licence.type],
                    ['证照编号', d.licence.number],
                    ['有效期', `${chineseDate(d.licence.validFrom)}至${d.licence.validTo ? chineseDate(d.licence.validTo) : '长期'}`],
                  ] as Array<[string, string]>)
                : []),
            ],
          },
          { type: 'paragraph', text: d.licence ? `本机关同时颁发${d.licence.type}（电子证照），可凭证照编号在证照批文共享库核验。` : '本决定书即为行政许可批准文件。' },
          { type: 'paragraph', text: '本决定将依法在政务服务网站公示。' },
        ];
      }
      case 'refusal-decision': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）提出的${d.matter.name}申请（申办编号${d.caseNumber}），经审查，本机关决定不予行政许可，理由如下：` },
          ...d.reasons.map((r, i): LayoutBlock => ({ type: 'paragraph', text: `${i + 1}. ${r}` })),
          ...(d.legalBasis ? [{ type: 'paragraph', text: `依据：${d.legalBasis}` } as LayoutBlock] : []),
          { type: 'fields', rows: [...basics(d), ['决定日期', chineseDateOf(d.decidedAt)], ...(d.decidedBy ? ([['签发人', d.decidedBy]] as Array<[string, string]>) : [])] },
          { type: 'paragraph', text: remediesText(d.reviewBody, d.court).replace(/本通知书/g, '本决定书') },
        ];
      }
      case 'payment-notice': {
        const d = n.data;
        const deadline = `${chineseDateOf(d.deadline)}${new Date(new Date(d.deadline).getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;
        return [
          { type: 'paragraph', text: `你（单位）提出的${d.matter.name}申请（申办编号${d.caseNumber}），经审查，本机关拟准予行政许可。依法应当缴纳下列费用：` },
          {
            type: 'table',
            columns: [
              { header: '序号', share: 0.08 },
              { header: '收费项目', share: 0.27 },
              { header: '金额', share: 0.15 },
              { header: '收费依据', share: 0.3 },
              { header: '缴费方式', share: 0.2 },
            ],
            rows: d.items.map((i, k) => [String(k + 1), i.name, yuan(i.amountFen), i.basis, i.payment]),
          },
          { type: 'fields', rows: [...basics(d), ['合计金额', yuan(d.totalFen)], ['通知日期', chineseDateOf(d.requestedAt)], ['缴费期限', `${deadline}前`]] },
          { type: 'paragraph', text: `请于${deadline}前按上列方式缴纳，并持本通知书到政务服务窗口办理缴费确认。` },
          { type: 'paragraph', text: '逾期未缴纳的，本机关将依法作出不予行政许可的决定（不予许可决定书）。' },
        ];
      }
      case 'licence': {
        const d = n.data;
        return [
          {
            type: 'fields',
            rows: [
              ['证照编号', d.licenceNumber],
              ['持证人', d.applicant.name],
              [d.applicant.kind === 'legal-entity' ? '统一社会信用代码' : '身份证件号码', d.applicant.id],
              ['许可事项', `${d.matter.name}（${d.matter.code}）`],
              ['许可范围', d.scope],
              ['有效期限', `${chineseDate(d.validFrom)}至${d.validTo ? chineseDate(d.validTo) : '长期'}`],
              ['许可决定文号', d.decisionDocumentNumber],
              ['申办编号', d.caseNumber],
            ],
          },
          { type: 'paragraph', text: '本证照为电子证照，与纸质证照具有同等效力。可扫描二维码或凭验证码核验真伪，凭证照编号在证照批文共享库查询有效状态。' },
        ];
      }
      case 'filing-receipt': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `你（单位）报送的${d.matter.name}备案材料（申办编号${d.caseNumber}）已收到。经形式审查，材料齐全、符合法定形式，${d.legalBasis ? `根据${d.legalBasis}的规定，` : ''}本机关予以备案。` },
          { type: 'fields', rows: [...basics(d), ['备案日期', chineseDateOf(d.decidedAt)], ...(d.decidedBy ? ([['经办人', d.decidedBy]] as Array<[string, string]>) : [])] },
          { type: 'paragraph', text: '备案不属于行政许可，本回执不作为许可证件使用；备案事项发生变化的，请及时办理变更备案。' },
        ];
      }
      case 'revocation-decision': {
        const d = n.data;
        return [
          { type: 'paragraph', text: `本机关作出的行政许可决定（${d.revokesDocumentNumber}）系依据你（单位）签署的告知承诺书作出。经核查，你（单位）的承诺与实际情况不符，理由如下：` },
          ...d.reasons.map((r, i): LayoutBlock => ({ type: 'paragraph', text: `${i + 1}. ${r}` })),
          { type: 'paragraph', text: `${d.legalBasis ? `根据${d.legalBasis}的规定，` : ''}本机关决定撤销该行政许可${d.licenceNumber ? `，所颁发的电子证照（${d.licenceNumber}）同时作废` : ''}。` },
          {
            type: 'fields',
            rows: [
              ...basics(d),
              ['被撤销的决定', d.revokesDocumentNumber],
              ...(d.licenceNumber ? ([['作废证照', d.licenceNumber]] as Array<[string, string]>) : []),
              ['撤销日期', chineseDateOf(d.decidedAt)],
              ['失信记录', d.creditRecord],
              ...(d.decidedBy ? ([['签发人', d.decidedBy]] as Array<[string, string]>) : []),
            ],
          },
          { type: 'paragraph', text: remediesText(d.reviewBody, d.court).replace(/本通知书/g, '本决定书') },
        ];
      }
    }
  })();
  return { title, documentNumber: ctx.documentNumber, blocks: [...head, ...body, sign] };
}
