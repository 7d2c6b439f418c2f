import { readFileSync } from 'node:fs';
import pino from 'pino';
import { NOTICE_DATA, type AnyNoticeData, documentNumberOf } from '../notice-kinds';
import { sampleNoticeData } from '../notice-fixtures';
import { layoutNotice } from '../notice-layout';
import { ProcessNoticeRenderer, type ProcessRendererOptions } from './process-renderer';
import { rendererForPackage } from './render-process';
import type { RenderInput } from './notice-renderer';

// The child is a real process started from these sources, as the service starts it from its build.
jest.setTimeout(60_000);

const ISSUED = new Date('2026-12-02T03:00:00Z');
const samples = sampleNoticeData({ applicationId: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11', caseNumber: '449900-20261202-000001' });
function input(code = 'ABCD-EFGH-JKMN-PQRS'): RenderInput {
  const n = { kind: 'acceptance', data: NOTICE_DATA.acceptance.parse(samples.acceptance) } as AnyNoticeData;
  const layout = layoutNotice(n, { documentNumber: documentNumberOf(n, ISSUED), departmentName: '示范市市场监督管理局', issuedAt: ISSUED });
  return { layout, verificationCode: code, verifyUrl: `http://127.0.0.1:3001/verify/documents/${code}`, sealOrgName: '示范市市场监督管理局', sealLabel: '行政审批专用章', issuedAt: ISSUED };
}

const renderers: ProcessNoticeRenderer[] = [];
function processRenderer(options: Partial<ProcessRendererOptions> = {}): ProcessNoticeRenderer {
  const r = new ProcessNoticeRenderer({ fontPackage: '@fontsource/noto-sans-sc', nice: 10, idleMs: 30_000, timeoutMs: 30_000, logger: pino({ level: 'silent' }), ...options });
  renderers.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(renderers.map((r) => r.close()));
});

const niceOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);

describe('ProcessNoticeRenderer', () => {
  it('renders in a child process of lower priority the same bytes as rendering here', async () => {
    // given
    const apart = processRenderer();
    // when
    const [there, here] = await Promise.all([apart.render(input()), rendererForPackage('@fontsource/noto-sans-sc').render(input())]);
    // then
    expect(there.subarray(0, 5).toString()).toBe('%PDF-');
    expect(there.equals(here)).toBe(true);
    expect(apart.pid).toBeDefined();
    expect(apart.pid).not.toBe(process.pid);
    expect(niceOf(apart.pid!)).toBe(niceOf(process.pid) + 10);
  });

  it('answers several renders sent at once, each with its own notice', async () => {
    const apart = processRenderer();
    const pdfs = await Promise.all(['AAAA-AAAA-AAAA-AAAA', 'BBBB-BBBB-BBBB-BBBB', 'CCCC-CCCC-CCCC-CCCC'].map((code) => apart.render(input(code))));
    expect(new Set(pdfs.map((p) => p.toString('base64'))).size).toBe(3);
    expect(pdfs.every((p) => p.toString('latin1').includes('/Keywords'))).toBe(true);
  });

  it('ends the child when idle, and starts a new one for the next notice', async () => {
    // given
    const apart = processRenderer({ idleMs: 300 });
    await apart.render(input());
    const first = apart.pid;
    expect(apart.running).toBe(true);
    // when idle past the limit
    await new Promise((r) => setTimeout(r, 900));
    // then
    expect(apart.running).toBe(false);
    await apart.render(input());
    expect(apart.pid).toBeDefined();
    expect(apart.pid).not.toBe(first);
  });

  it('fails the renders a dying child held, and renders again with a new child', async () => {
    // given a render under way
    const apart = processRenderer();
    await apart.render(input());
    const rendering = apart.render(input('DDDD-DDDD-DDDD-DDDD'));
    // when the child is killed
    process.kill(apart.pid!, 'SIGKILL');
    // then that render fails, and the next one works
    await expect(rendering).rejects.toThrow(/exited/);
    expect((await apart.render(input())).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('kills a child that overruns the time limit and fails that render', async () => {
    const apart = processRenderer({ timeoutMs: 1 });
    await expect(apart.render(input())).rejects.toThrow(/took longer than \d+ ms/);
    expect(apart.running).toBe(false);
  });
});
