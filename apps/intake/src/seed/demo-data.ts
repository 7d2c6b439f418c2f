import { creditCodeCheckChar } from '@gov/contracts';
import type { z } from 'zod';
import type { MatterElementsSchema } from '../matters/matter-version';

// The demo catalogue for development and test (never production), over the demo organisations of identity's seed
// (apps/identity/src/seed/demo-data.ts, DEMO_ORGS): the city 示范市 (tenant 449900) and its departments, 东城区
// (449901) and 青石街道 below it. Every matter runs on the skeleton flow (bpmn/skeleton-approval.bpmn, deployed by the
// stack tool) until the flow library exists. DEMO-SCJG-001 is the walking skeleton's matter (tools/stack/demo.ts).
export const DEMO_TENANT = '449900';

/** Organisation codes of identity's demo seed, built as identity builds them (unified social credit codes, 机关). */
function orgCode(division: string, n: number): string {
  const first17 = `11${division}${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

export const DEMO_ORG_CODES = {
  market: orgCode('449900', 11),
  marketRegistry: orgCode('449900', 111),
  resources: orgCode('449900', 12),
  resourcesLand: orgCode('449900', 121),
  housing: orgCode('449900', 13),
  ecology: orgCode('449900', 14),
  tax: orgCode('449900', 15),
  police: orgCode('449900', 16),
  dcMarket: orgCode('449901', 11),
  qingshi: orgCode('449901', 2),
} as const;

export interface DemoMatter {
  code: string;
  tenantId: string;
  elements: z.input<typeof MatterElementsSchema>;
}

const CONSULT_CITY = '示范市政务服务中心综合窗口，电话 0799-12345（工作日 9:00-17:00），或在本平台“咨询”栏目留言';
const COMPLAIN_CITY = '示范市政务服务管理办公室，电话 0799-12345 转 2；示范市监察室，电话 0799-12388';

export const DEMO_MATTERS: readonly DemoMatter[] = [
  {
    code: 'DEMO-SCJG-001',
    tenantId: DEMO_TENANT,
    elements: {
      name: '食品经营许可（演示）',
      kind: '审批',
      category: '行政许可',
      departmentCode: DEMO_ORG_CODES.marketRegistry,
      levels: ['city', 'county'],
      delegatedTo: 'county',
      legalBasis: ['《中华人民共和国食品安全法》第三十五条', '《食品经营许可和备案管理办法》'],
      conditions: [
        '具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所',
        '具有与经营的食品品种、数量相适应的经营设备或者设施',
        '有专职或者兼职的食品安全管理人员和保证食品安全的规章制度',
      ],
      materials: [
        { key: 'businessLicence', name: '营业执照', required: true, form: 'copy', fromIssuedLicence: '营业执照', note: '已在本平台领取电子营业执照的，免予提交' },
        { key: 'legalRepId', name: '法定代表人（负责人）身份证明', required: true, form: 'copy' },
        { key: 'premisesPlan', name: '经营场所平面布局图', required: true, form: 'original', templateFile: 'premises-plan.pdf' },
        { key: 'safetyRules', name: '食品安全管理制度', required: true, form: 'original', templateFile: 'food-safety-rules.docx', mayBeDeferred: true },
        { key: 'healthCertificates', name: '从业人员健康证明', required: false, form: 'copy', mayBeDeferred: true },
      ],
      statutoryWorkingDays: 20,
      promisedWorkingDays: 7,
      stepLimits: [
        { step: 'review', name: '审查', workingDays: 4 },
        { step: 'decide', name: '决定', workingDays: 2 },
      ],
      fees: [],
      formSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: '食品经营许可申请书',
        type: 'object',
        required: ['businessPremises', 'businessScope'],
        properties: {
          businessPremises: { type: 'string', title: '经营场所', minLength: 1, maxLength: 200 },
          businessScope: { type: 'string', title: '经营项目', minLength: 1, maxLength: 500 },
          storagePremises: { type: 'string', title: '仓库地址', maxLength: 200 },
          safetyManager: { type: 'string', title: '食品安全管理人员', maxLength: 50 },
        },
      },
      result: { name: '食品经营许可证', validityMonths: 60, annualInspection: false },
      consultation: CONSULT_CITY,
      complaint: COMPLAIN_CITY,
      onlineClass: 'A',
      processKey: 'skeleton-approval',
    },
  },
];
