import { Role } from '@gov/auth';
import { ApplicantKind, creditCodeCheckChar, residentIdCheckChar } from '@gov/contracts';

// Demo organisations, officers, applicants and service clients. Codes are valid unified social credit codes
// (category 1 = 机关, class 1) built from a fictional division code and a sequence number.

function orgCode(division: string, n: number): string {
  const first17 = `11${division}${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

export const DEMO_ORGS = {
  city: { code: orgCode('449900', 1), name: '示范市人民政府', kind: 'region', level: 'city', parent: null, division: '449900' },
  dongcheng: { code: orgCode('449901', 1), name: '东城区人民政府', kind: 'region', level: 'county', parent: 'city', division: '449901' },
  xishan: { code: orgCode('449902', 1), name: '西山县人民政府', kind: 'region', level: 'county', parent: 'city', division: '449902' },
  qingshi: { code: orgCode('449901', 2), name: '青石街道办事处', kind: 'region', level: 'township', parent: 'dongcheng', division: '449901001' },
  market: { code: orgCode('449900', 11), name: '示范市市场监督管理局', kind: 'department', level: null, parent: 'city', division: '449900' },
  marketRegistry: { code: orgCode('449900', 111), name: '登记注册处', kind: 'section', level: null, parent: 'market', division: '449900' },
  resources: { code: orgCode('449900', 12), name: '示范市自然资源局', kind: 'department', level: null, parent: 'city', division: '449900' },
  resourcesLand: { code: orgCode('449900', 121), name: '用地审批处', kind: 'section', level: null, parent: 'resources', division: '449900' },
  housing: { code: orgCode('449900', 13), name: '示范市住房和城乡建设局', kind: 'department', level: null, parent: 'city', division: '449900' },
  ecology: { code: orgCode('449900', 14), name: '示范市生态环境局', kind: 'department', level: null, parent: 'city', division: '449900' },
  tax: { code: orgCode('449900', 15), name: '国家税务总局示范市税务局', kind: 'department', level: null, parent: 'city', division: '449900' },
  police: { code: orgCode('449900', 16), name: '示范市公安局', kind: 'department', level: null, parent: 'city', division: '449900' },
  supervision: { code: orgCode('449900', 17), name: '示范市监察室', kind: 'department', level: null, parent: 'city', division: '449900' },
  dcMarket: { code: orgCode('449901', 11), name: '东城区市场监督管理局', kind: 'department', level: null, parent: 'dongcheng', division: '449901' },
} as const;
export type DemoOrgKey = keyof typeof DEMO_ORGS;

export interface DemoOfficer {
  username: string;
  displayName: string;
  roles: Array<[DemoOrgKey, Role]>;
}

export const DEMO_OFFICERS: DemoOfficer[] = [
  { username: 'admin', displayName: '系统管理员', roles: [['city', Role.Sysadmin]] },
  { username: 'analyst', displayName: '流程分析员', roles: [['city', Role.ProcessAnalyst]] },
  { username: 'office', displayName: '政务服务管理办公室钱敏', roles: [['city', Role.ServiceManagement]] },
  { username: 'supervisor', displayName: '监察室赵监察', roles: [['city', Role.Supervisor]] },
  // a county's own supervision office (东城区监察室): its jurisdiction is 东城区 and what lies below it
  { username: 'supervisor.dongcheng', displayName: '东城区监察室钱监察', roles: [['dongcheng', Role.Supervisor]] },
  { username: 'clerk.market', displayName: '窗口王小红', roles: [['market', Role.WindowClerk]] },
  { username: 'handler.market', displayName: '承办人刘明', roles: [['marketRegistry', Role.Handler]] },
  { username: 'deputy.market', displayName: '副科长陈静', roles: [['marketRegistry', Role.Handler]] },
  { username: 'chief.market', displayName: '处长李强', roles: [['marketRegistry', Role.SectionChief]] },
  { username: 'leader.market', displayName: '分管领导周华', roles: [['market', Role.Leader]] },
  // the land bureau's window: accepts its matters (the joint review DEMO-ZRZY-010 among them)
  { username: 'clerk.resources', displayName: '自然资源窗口赵敏', roles: [['resources', Role.WindowClerk]] },
  { username: 'handler.resources', displayName: '承办人孙磊', roles: [['resourcesLand', Role.Handler]] },
  { username: 'chief.resources', displayName: '处长吴芳', roles: [['resourcesLand', Role.SectionChief]] },
  { username: 'leader.resources', displayName: '分管领导郑伟', roles: [['resources', Role.Leader]] },
  { username: 'handler.housing', displayName: '承办人冯涛', roles: [['housing', Role.Handler]] },
  { username: 'handler.ecology', displayName: '承办人何娜', roles: [['ecology', Role.Handler]] },
  { username: 'handler.tax', displayName: '承办人许刚', roles: [['tax', Role.Handler]] },
  { username: 'handler.police', displayName: '承办人邓军', roles: [['police', Role.Handler]] },
  { username: 'clerk.dongcheng', displayName: '东城窗口黄丽', roles: [['dcMarket', Role.WindowClerk]] },
  { username: 'handler.dongcheng', displayName: '东城承办人林峰', roles: [['dcMarket', Role.Handler]] },
  // 东城区's section chief: reviews and submits its 上报件 to the city (higher-level-submission, CountyChiefReview)
  { username: 'chief.dongcheng', displayName: '东城科长罗平', roles: [['dcMarket', Role.SectionChief]] },
];

function residentId(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

export const DEMO_APPLICANTS = [
  { username: 'zhangsan', displayName: '张三', applicantKind: ApplicantKind.Person, applicantId: residentId('44990119850312001') },
  { username: 'lisi', displayName: '李四', applicantKind: ApplicantKind.Person, applicantId: residentId('44990219900723002') },
  { username: 'acme', displayName: '示范市东方贸易有限公司', applicantKind: ApplicantKind.LegalEntity, applicantId: ((s) => s + creditCodeCheckChar(s))('91449901MA0000001') },
] as const;

export const DEMO_SERVICE_CLIENTS = [
  { clientId: 'intake', name: 'intake service' },
  { clientId: 'approval', name: 'approval service and its workers' },
  { clientId: 'supervision', name: 'supervision service' },
  { clientId: 'exchange', name: 'exchange (front-end processor)' },
] as const;

/** Departments that get an electronic seal certificate in the demo. */
export const DEMO_SEAL_ORGS: DemoOrgKey[] = ['market', 'resources', 'housing', 'ecology', 'tax', 'police', 'dcMarket'];
