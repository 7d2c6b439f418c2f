import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@gov/contracts';
import { STACK, TopicCollector, eventually, http, sql } from '@gov/testing';
import { submitApplication } from './helpers';

const ROOT = join(__dirname, '../../..');
const CASES = 6;

interface EngineTask {
  id: string;
  taskDefinitionKey: string;
}

async function engineTasks(caseNumber: string): Promise<EngineTask[]> {
  const res = await http<EngineTask[]>('POST', `${STACK.engineUrl}/task`, { processInstanceBusinessKey: caseNumber });
  return res.body;
}

async function completeInEngine(taskId: string): Promise<void> {
  const res = await http('POST', `${STACK.engineUrl}/task/${taskId}/complete`, { variables: {} });
  if (res.status !== 204) throw new Error(`engine refused to complete ${taskId}: ${res.status} ${JSON.stringify(res.body)}`);
}

function approvalPid(): number {
  return Number(readFileSync(join(ROOT, '.stack/run/approval.pid'), 'utf8').trim());
}

describe('engine step events across a crash of their relay', () => {
  it('reaches Kafka and supervision with none lost and none doubled when the relay is killed -9 mid-stream', async () => {
    // given several cases with their handler step open
    const collector = await new TopicCollector([TOPICS.approvalStep.name]).start();
    try {
      const cases: string[] = [];
      for (let i = 0; i < CASES; i++) cases.push((await submitApplication()).caseNumber);
      const handlerTasks = new Map<string, string>();
      for (const c of cases) {
        const task = await eventually(`handler task of ${c}`, async () => (await engineTasks(c)).find((t) => t.taskDefinitionKey === 'HandlerReview'));
        handlerTasks.set(c, task.id);
      }

      // when steps complete in the engine while the relay (inside approval) is killed -9 half-way
      const half = Math.floor(CASES / 2);
      for (const c of cases.slice(0, half)) await completeInEngine(handlerTasks.get(c)!);
      process.kill(approvalPid(), 'SIGKILL');
      for (const c of cases.slice(half)) await completeInEngine(handlerTasks.get(c)!);
      const stranded = await sql<{ n: number }>('engine', 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      // and approval comes back
      execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['tools/stack/cli.ts', 'up', 'approval'], { cwd: ROOT, stdio: 'ignore', env: process.env });

      // then every step event of these cases is on Kafka: handler opened + completed, chief opened, per case
      const expected = cases.length * 3;
      const mine = () =>
        collector
          .events()
          .filter((e) => cases.includes(e.subject) && (e.data.taskDefinitionKey === 'HandlerReview' || e.data.taskDefinitionKey === 'ChiefReview'));
      await collector.until('all step events', () => new Set(mine().map((e) => e.id)).size === expected, 60_000);
      const logical = mine().map((e) => `${String(e.data.taskId)}|${e.type}`);
      expect(new Set(logical).size).toBe(expected);
      // each logical event carries one id, however many times it was published
      const idsPerLogical = new Map<string, Set<string>>();
      for (const e of mine()) {
        const k = `${String(e.data.taskId)}|${e.type}`;
        idsPerLogical.set(k, (idsPerLogical.get(k) ?? new Set()).add(e.id));
      }
      expect([...idsPerLogical.values()].every((s) => s.size === 1)).toBe(true);

      // and supervision applied each exactly once: handler steps closed, chief steps open
      await eventually('supervision to catch up', async () => {
        const rows = await sql<{ n: number }>('supervision', `SELECT count(*)::int AS n FROM steps WHERE case_number = ANY($1) AND ((task_definition_key = 'HandlerReview' AND closed_at IS NOT NULL) OR (task_definition_key = 'ChiefReview' AND closed_at IS NULL))`, [cases]);
        return rows[0].n === cases.length * 2;
      }, 60_000);
      const inbox = await sql<{ event_id: string; n: number }>('supervision', `SELECT event_id, count(*)::int AS n FROM inbox WHERE consumer = 'supervision.steps' AND subject = ANY($1) AND event_type LIKE 'gov.approval.step.%' GROUP BY event_id`, [cases]);
      // none lost: supervision recorded every one of the expected events
      expect(inbox).toHaveLength(expected);
      expect(new Set(inbox.map((r) => r.event_id))).toEqual(new Set(mine().map((e) => e.id)));
      // and the engine's outbox drained
      await eventually('the engine outbox to drain', async () => (await sql<{ n: number }>('engine', 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n === 0);
      expect(stranded[0].n).toBeGreaterThan(0);
    } finally {
      await collector.stop();
    }
  });
});
