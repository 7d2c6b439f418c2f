import { type AnyNoticeData, NOTICE_DATA, type NoticeKind, documentNumberOf, noticeKey } from './notice-kinds';
import { sampleNoticeData } from './notice-fixtures';
import { type LayoutBlock, layoutNotice } from './notice-layout';

const ISSUED = new Date('2026-12-02T03:00:00Z');
const samples = sampleNoticeData({ applicationId: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11', caseNumber: '449900-20261202-000001' });

function parsed<K extends NoticeKind>(kind: K): AnyNoticeData {
  return { kind, data: NOTICE_DATA[kind].parse(samples[kind]) } as AnyNoticeData;
}

function text(blocks: LayoutBlock[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'fields':
          return b.rows.map((r) => r.join('：')).join('\n');
        case 'table':
          return [b.columns.map((c) => c.header), ...b.rows].map((r) => r.join(' | ')).join('\n');
        case 'signature':
          return `${b.department}\n${b.date}`;
        case 'title':
        case 'number':
        case 'addressee':
        case 'paragraph':
          return b.text;
      }
    })
    .join('\n');
}

function layoutOf(kind: NoticeKind): string {
  const n = parsed(kind);
  return text(layoutNotice(n, { documentNumber: documentNumberOf(n, ISSUED), departmentName: '示范市市场监督管理局', issuedAt: ISSUED }).blocks);
}

describe('notice layouts (the official forms)', () => {
  it('gives the acceptance slip the list of materials, acceptance date, promised limit and receiving officer (seed 001 text 3 art. 10 (一))', () => {
    // when
    const t = layoutOf('acceptance');
    // then
    expect(t).toContain('受理通知书');
    expect(t).toContain('受字〔2026〕449900-20261202-000001号');
    expect(t).toMatch(/受理日期：2026年12月2日/);
    expect(t).toMatch(/承诺期限：7个工作日（2026年12月11日前办结）/);
    expect(t).toMatch(/收件人：窗口王小红/);
    // the 收件清单: each file received with its slot, and a declared slot with no file marked as not received
    expect(t).toContain('材料名称 | 收到的文件 | 原件/复印件 | 份数/页数 | 状态');
    expect(t).toContain('食品经营许可申请书 | 食品经营许可申请书.pdf | 原件 | 1/3页 | 已收');
    expect(t).toContain('经营场所平面图及设备布局图 | 平面图.pdf | 复印件 | 1 | 已收');
    expect(t).toContain('经营场所平面图及设备布局图 | 设备布局图.png | 复印件 | 1 | 已收');
    expect(t).toContain('食品安全管理制度 | — | 原件 | — | 未收');
    expect(t).toContain('申请材料不得再行补正、替换'); // art. 11
  });

  it('lists the departments\' parts on a joint window\'s combined notice, and names the joint window on a part\'s', () => {
    // given
    const parts = [
      { caseNumber: '449900-20261202-000002', matterName: '建设用地规划许可', promisedWorkingDays: 10, promisedCompletionDate: '2026-12-16' },
      { caseNumber: '449901-20261202-000001', matterName: '环境影响评价审批', promisedWorkingDays: 5, promisedCompletionDate: '2026-12-09' },
    ];
    const combined = { kind: 'acceptance', data: NOTICE_DATA.acceptance.parse({ ...samples.acceptance, jointWindow: parts }) } as AnyNoticeData;
    const part = { kind: 'acceptance', data: NOTICE_DATA.acceptance.parse({ ...samples.acceptance, jointWindowOf: { caseNumber: '449900-20261202-000001', matterName: '投资项目联合受理' } }) } as AnyNoticeData;
    // when
    const ctx = { documentNumber: 'x', departmentName: '示范市市场监督管理局', issuedAt: ISSUED };
    const c = text(layoutNotice(combined, ctx).blocks);
    const p = text(layoutNotice(part, ctx).blocks);
    // then
    expect(c).toContain('分送下列部门并联办理');
    expect(c).toContain('1 | 449900-20261202-000002 | 建设用地规划许可 | 10个工作日（2026年12月16日前）');
    expect(c).toContain('2 | 449901-20261202-000001 | 环境影响评价审批 | 5个工作日（2026年12月9日前）');
    expect(p).toContain('本件系投资项目联合受理（联合受理申办编号449900-20261202-000001）经联合受理窗口一并受理的部门办件');
    expect(text(layoutNotice(parsed('acceptance'), ctx).blocks)).not.toContain('联合受理');
  });

  it('dates a deemed acceptance from the day the materials were received (seed 001 text 10)', () => {
    const n = { kind: 'acceptance', data: NOTICE_DATA.acceptance.parse({ ...samples.acceptance, deemed: true, acceptedAt: '2026-12-09T00:00:00Z' }) } as AnyNoticeData;
    const t = text(layoutNotice(n, { documentNumber: 'x', departmentName: '示范市市场监督管理局', issuedAt: ISSUED }).blocks);
    expect(t).toContain('视为受理');
    expect(t).toMatch(/受理日期：2026年12月1日/);
  });

  it('gives a refusal its reasons and the remedies: administrative review within 60 days, litigation within 6 months', () => {
    const t = layoutOf('refusal');
    expect(t).toContain('不予受理通知书');
    expect(t).toContain('1. 经告知补正后，申请人未在规定时限内补齐经营场所证明材料。');
    expect(t).toContain('依据：《中华人民共和国行政许可法》第三十二条');
    expect(t).toContain('六十日内向示范市人民政府申请行政复议');
    expect(t).toContain('六个月内依法向示范市东城区人民法院提起行政诉讼');
  });

  it('lists every item to correct at once, with the deadline (一次性告知, seed 001 text 3 art. 10 (二))', () => {
    const t = layoutOf('correction');
    expect(t).toContain('一次性告知需要补正的全部内容');
    expect(t).toContain('1 | 经营场所证明 | 未提交');
    expect(t).toContain('2 | 食品安全管理制度 | 缺少从业人员健康管理制度');
    expect(t).toContain('请于2026年12月15日前补正');
  });

  it('lists what is missing at a 容缺 acceptance and its deadline', () => {
    const t = layoutOf('acceptance-with-missing');
    expect(t).toContain('容缺受理通知书');
    expect(t).toContain('1 | 食品安全管理人员培训合格证明 | 复印件 | 可在承诺期内补交');
    expect(t).toMatch(/补齐期限：2026年12月9日/);
  });

  it('refuses a 容缺 deadline later than the promised completion date', () => {
    const r = NOTICE_DATA['acceptance-with-missing'].safeParse({ ...samples['acceptance-with-missing'], deadline: '2026-12-20' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['deadline']);
  });

  it('says a withdrawal is granted and the case ends (seed 001 text 3 art. 11)', () => {
    const t = layoutOf('withdrawal');
    expect(t).toContain('准予撤回');
    expect(t).toContain('理由：需更正经营场所地址');
    expect(t).toContain('终止');
  });

  it('gives the receipt the materials received and the day acceptance is decided by', () => {
    const t = layoutOf('receipt');
    expect(t).toContain('接件凭证');
    expect(t).toContain('2026年12月8日前作出是否受理的决定');
    expect(t).toContain('标注“未收”的为已申报、尚未收到文件的材料');
    expect(t).toContain('食品安全管理制度 | — | 原件 | — | 未收');
    expect(t).toContain('不表示申请已被受理');
  });

  it('signs every notice with the department and the date', () => {
    for (const kind of Object.keys(samples) as NoticeKind[]) expect(layoutOf(kind)).toMatch(/示范市市场监督管理局\n2026年12月2日$/);
  });

  it('keys notices one per application and kind, corrections per round, with distinct numbers', () => {
    const first = parsed('correction');
    const second = { kind: 'correction', data: NOTICE_DATA.correction.parse({ ...samples.correction, round: 2 }) } as AnyNoticeData;
    expect(noticeKey(first)).not.toBe(noticeKey(second));
    expect(documentNumberOf(second, ISSUED)).toBe('补字〔2026〕449900-20261202-000001-2号');
    expect(noticeKey(parsed('acceptance'))).toBe('acceptance:6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11');
  });

  it('takes the year of the 文号 in China Standard Time', () => {
    expect(documentNumberOf(parsed('receipt'), new Date('2026-12-31T16:30:00Z'))).toMatch(/〔2027〕/);
  });

  it('gives the 准予行政许可决定书 the decision, its date, the signer and the licence issued with it (seed 001 text 3 art. 19 (三))', () => {
    const t = layoutOf('approval-decision');
    expect(t).toContain('准予行政许可决定书');
    expect(t).toContain('本机关决定准予行政许可');
    expect(t).toContain('根据《中华人民共和国食品安全法》第三十五条的规定');
    expect(t).toContain('签发人：分管领导赵六');
    expect(t).toContain('证照编号：LIC-449900-20261202-000001');
    expect(t).toContain('有效期：2026年12月10日至2031年12月9日');
  });

  it('gives the 不予许可决定书 every reason and the rights to reconsideration within 60 days and litigation within 6 months (seed 001 text 3 art. 20)', () => {
    const t = layoutOf('refusal-decision');
    expect(t).toContain('本机关决定不予行政许可，理由如下');
    expect(t).toContain('1. 经现场核查，经营场所与申请材料所述布局不符。');
    expect(t).toContain('2. 未设置与经营品种相适应的冷藏设施。');
    expect(t).toContain('自收到本决定书之日起六十日内向示范市人民政府申请行政复议');
    expect(t).toContain('六个月内依法向示范市中级人民法院提起行政诉讼');
  });

  it('prints a 备案回执 under approval\'s 文号, saying a filing is no licence', () => {
    const t = layoutOf('filing-receipt');
    expect(t.startsWith('备案回执\n449900-')).toBe(true);
    expect(t).toContain('本机关予以备案');
    expect(t).toContain('本回执不作为许可证件使用');
  });

  it('prints the 撤销行政许可决定书 with the revoked decision, the reasons, the record against the applicant and both remedies', () => {
    const t = layoutOf('revocation-decision');
    expect(t.startsWith('撤销行政许可决定书\n449900-')).toBe(true);
    expect(t).toContain('被撤销的决定：449900-');
    expect(t).toContain('1. 经核查，经营场所未设置承诺的冷藏设施。');
    expect(t).toContain('根据《中华人民共和国行政许可法》第六十九条的规定，本机关决定撤销该行政许可，所颁发的电子证照（LIC-449900-20261202-000001）同时作废');
    expect(t).toContain('失信记录：虚假承诺，记入申请人信用记录');
    expect(t).toContain('自收到本决定书之日起六十日内向示范市人民政府申请行政复议');
    expect(t).toContain('六个月内依法向示范市中级人民法院提起行政诉讼');
  });

  it('titles the licence by its type and prints holder, scope and validity', () => {
    const t = layoutOf('licence');
    expect(t.startsWith('食品经营许可证\nLIC-449900-20261202-000001')).toBe(true);
    expect(t).toContain('持证人：张三');
    expect(t).toContain('许可范围：热食类食品制售');
    expect(t).toContain('有效期限：2026年12月10日至2031年12月9日');
  });

  it('numbers a decision with approval\'s 文号 and a licence with its licence number', () => {
    expect(documentNumberOf(parsed('approval-decision'), ISSUED)).toBe('449900-11449900000000111Y-许〔2026〕000101号');
    expect(documentNumberOf(parsed('licence'), ISSUED)).toBe('LIC-449900-20261202-000001');
  });
});
