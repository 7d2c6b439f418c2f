import type { NoticeInput, NoticeKind } from './notice-kinds';

/** Realistic data for every notice kind (tests and the demo). */
export function sampleNoticeData(base: { applicationId: string; caseNumber: string; applicantId?: string; applicantName?: string; departmentCode?: string }): { [K in NoticeKind]: NoticeInput<K> } {
  const common = {
    applicationId: base.applicationId,
    caseNumber: base.caseNumber,
    applicant: { kind: 'person' as const, id: base.applicantId ?? '449901198503120015', name: base.applicantName ?? '张三' },
    matter: { code: 'DEMO-SCJG-001', name: '食品经营许可（演示）' },
    departmentCode: base.departmentCode ?? '11449900000000111Y',
  };
  const materials = [
    { name: '食品经营许可申请书', fileName: '食品经营许可申请书.pdf', form: 'original' as const, copies: 1, pages: 3 },
    { name: '营业执照', fileName: '营业执照副本.pdf', form: 'copy' as const, copies: 1 },
    { name: '经营场所平面图及设备布局图', fileName: '平面图.pdf', form: 'copy' as const, copies: 1 },
    { name: '经营场所平面图及设备布局图', fileName: '设备布局图.png', form: 'copy' as const, copies: 1 },
    { name: '食品安全管理制度', form: 'original' as const, copies: 0, status: 'not-received' as const },
  ];
  return {
    receipt: { ...common, receivedAt: '2026-12-01T02:00:00Z', officer: '窗口王小红', materials, decisionDueDate: '2026-12-08' },
    acceptance: { ...common, receivedAt: '2026-12-01T02:00:00Z', acceptedAt: '2026-12-02T03:00:00Z', officer: '窗口王小红', materials, promisedWorkingDays: 7, promisedCompletionDate: '2026-12-11' },
    refusal: {
      ...common,
      receivedAt: '2026-12-01T02:00:00Z',
      refusedAt: '2026-12-02T03:00:00Z',
      officer: '窗口王小红',
      reasons: ['经告知补正后，申请人未在规定时限内补齐经营场所证明材料。'],
      legalBasis: '《中华人民共和国行政许可法》第三十二条',
      reviewBody: '示范市人民政府',
      court: '示范市东城区人民法院',
    },
    correction: {
      ...common,
      receivedAt: '2026-12-01T02:00:00Z',
      officer: '窗口王小红',
      items: [
        { material: '经营场所证明', problem: '未提交，需提供房屋产权证明或租赁合同。' },
        { material: '食品安全管理制度', problem: '缺少从业人员健康管理制度，请补充并加盖公章。' },
      ],
      deadline: '2026-12-15',
    },
    'acceptance-with-missing': {
      ...common,
      receivedAt: '2026-12-01T02:00:00Z',
      acceptedAt: '2026-12-02T03:00:00Z',
      officer: '窗口王小红',
      materials,
      missing: [{ material: '食品安全管理人员培训合格证明', form: 'copy', note: '可在承诺期内补交' }],
      deadline: '2026-12-09',
      promisedWorkingDays: 7,
      promisedCompletionDate: '2026-12-11',
      commitmentSignedAt: '2026-12-02T02:30:00Z',
    },
    withdrawal: { ...common, requestedAt: '2026-12-03T02:00:00Z', approvedAt: '2026-12-03T06:00:00Z', officer: '窗口王小红', reason: '需更正经营场所地址' },
    'approval-decision': {
      ...common,
      documentNumber: `449900-${common.departmentCode}-许〔2026〕000101号`,
      decidedAt: '2026-12-10T02:00:00Z',
      decidedBy: '分管领导赵六',
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      licence: { number: `LIC-${base.caseNumber}`, type: '食品经营许可证', validFrom: '2026-12-10', validTo: '2031-12-09' },
    },
    'refusal-decision': {
      ...common,
      documentNumber: `449900-${common.departmentCode}-不许〔2026〕000102号`,
      decidedAt: '2026-12-10T02:00:00Z',
      decidedBy: '分管领导赵六',
      reasons: ['经现场核查，经营场所与申请材料所述布局不符。', '未设置与经营品种相适应的冷藏设施。'],
      legalBasis: '《食品经营许可和备案管理办法》第十二条',
      reviewBody: '示范市人民政府',
      court: '示范市中级人民法院',
    },
    'filing-receipt': {
      ...common,
      documentNumber: `449900-${common.departmentCode}-备〔2026〕000103号`,
      decidedAt: '2026-12-10T02:00:00Z',
      decidedBy: '承办人刘明',
    },
    'revocation-decision': {
      ...common,
      documentNumber: `449900-${common.departmentCode}-撤销〔2026〕000104号`,
      decidedAt: '2027-01-15T02:00:00Z',
      decidedBy: '分管领导赵六',
      revokesDocumentNumber: `449900-${common.departmentCode}-许〔2026〕000101号`,
      reasons: ['经核查，经营场所未设置承诺的冷藏设施。'],
      licenceNumber: `LIC-${base.caseNumber}`,
      creditRecord: '虚假承诺，记入申请人信用记录',
      legalBasis: '《中华人民共和国行政许可法》第六十九条',
      reviewBody: '示范市人民政府',
      court: '示范市中级人民法院',
    },
    licence: {
      ...common,
      licenceNumber: `LIC-${base.caseNumber}`,
      licenceType: '食品经营许可证',
      scope: '热食类食品制售',
      validFrom: '2026-12-10',
      validTo: '2031-12-09',
      decisionDocumentNumber: `449900-${common.departmentCode}-许〔2026〕000101号`,
    },
    'payment-notice': {
      ...common,
      items: [{ name: '食品经营许可证工本费', amountFen: 5000, basis: '《示范省行政事业性收费标准》', payment: '窗口现金或银行卡缴纳' }],
      totalFen: 5000,
      requestedAt: '2026-12-10T02:00:00Z',
      deadline: '2026-12-25T15:59:59.999Z',
    },
  };
}
