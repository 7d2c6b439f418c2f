// Smoke test of the local Kafka broker with kafkajs (the client the services use).
//   npx tsx tools/kafka/smoke.ts            prepare + start the broker, run the checks, crash it (kill -9), restart,
//                                           check durability, stop it cleanly and check the log; prints timings.
//   npx tsx tools/kafka/smoke.ts --quick    only the client checks, against a broker that is already running.
// Uses topic smoke.check.v1 and groups smoke-*; deletes them at the end. The full run refuses to touch a broker that
// is already running (it kills the one it starts); leaves it stopped.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { isAlive, logFile, readPid, sleep, waitFor } from '../stack/lib';
import { KAFKA_BROKERS, KAFKA_DATA_DIR, kafka as component, kafkaAnswers } from '../stack/components/kafka';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const TOPIC = 'smoke.check.v1';
const quick = process.argv.includes('--quick');
const client = new Kafka({ clientId: 'kafka-smoke', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.WARN });
const admin = client.admin();
const runId = Date.now().toString(36);
let weStarted = false;

function check(cond: unknown, what: string): void {
  if (!cond) throw new Error(`FAILED: ${what}`);
  console.log(`  ok  ${what}`);
}
function ms(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

async function startBroker(label: string): Promise<void> {
  let t = Date.now();
  await component.prepare?.();
  console.log(`${label}: prepare ${ms(t)}`);
  t = Date.now();
  await component.start();
  await waitFor('kafka healthy', () => component.healthy(), component.startTimeoutSec ?? 90);
  console.log(`${label}: start -> healthy ${ms(t)}`);
}

async function produce(producer: ReturnType<Kafka['producer']>, from: number, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => ({ key: `case-${(from + i) % 7}`, value: `m${from + i}` }));
  await producer.send({ topic: TOPIC, acks: -1, messages });
}

/** Consumes until `count` messages arrived (explicit commits after each), then stops; returns the values. */
async function consume(groupId: string, count: number, timeoutMs = 30_000): Promise<string[]> {
  const consumer: Consumer = client.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const got: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${groupId}: got ${got.length}/${count} messages`)), timeoutMs);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }: { topic: string; partition: number; message: KafkaMessage }) => {
        got.push(String(message.value));
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        if (got.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await done;
    await sleep(1500); // anything beyond `count` would show up here
  } finally {
    await consumer.disconnect();
  }
  return got;
}

async function totalEnd(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(TOPIC);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

async function clientChecks(): Promise<void> {
  console.log('client checks');
  await admin.connect();
  const cluster = await admin.describeCluster();
  check(cluster.brokers.length === 1, `describeCluster: ${cluster.brokers.map((b) => `${b.host}:${b.port}`).join(',')}`);
  if ((await admin.listTopics()).includes(TOPIC)) {
    await admin.deleteTopics({ topics: [TOPIC] });
    await waitFor('topic deleted', async () => !(await admin.listTopics()).includes(TOPIC), 30);
  }
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: TOPIC, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '604800000' }] }],
  });
  check(created, 'createTopics (3 partitions, retention.ms)');
  const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
  check(meta.topics[0].partitions.length === 3, 'fetchTopicMetadata: 3 partitions');
  const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: TOPIC, configNames: ['retention.ms'] }] });
  check(configs.resources[0].configEntries[0]?.configValue === '604800000', 'describeConfigs: retention.ms = 604800000');
  let refused = false;
  try {
    const p = client.producer({ allowAutoTopicCreation: false, retry: { retries: 1 } });
    await p.connect();
    await p.send({ topic: `smoke.absent.${runId}`, messages: [{ value: 'x' }] }).finally(() => p.disconnect());
  } catch {
    refused = true;
  }
  check(refused, 'auto.create.topics.enable=false: sending to an unknown topic fails');

  const plain = client.producer();
  await plain.connect();
  await produce(plain, 0, 30);
  await plain.disconnect();
  check((await totalEnd()) === 30, 'produce acks=-1: 30 messages');

  const idem = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await idem.connect();
  await produce(idem, 30, 30);
  await idem.disconnect();
  check((await totalEnd()) === 60, 'idempotent producer acks=-1: 30 more messages');

  const group = `smoke-${runId}`;
  const first = await consume(group, 60);
  check(first.length === 60 && new Set(first).size === 60, `consumer group ${group}: 60 messages, no duplicates`);
  const committed = await admin.fetchOffsets({ groupId: group, topics: [TOPIC] });
  const sum = committed[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
  check(sum === 60, 'committed offsets sum to 60');

  const p2 = client.producer();
  await p2.connect();
  await produce(p2, 60, 10);
  await p2.disconnect();
  const resumed = await consume(group, 10);
  check(resumed.length === 10 && resumed.every((v) => Number(v.slice(1)) >= 60), 'restarted consumer resumes at the committed offset (10 new only)');
  const groups = await admin.describeGroups([group]);
  check(groups.groups[0].state === 'Empty', `describeGroups: ${groups.groups[0].state}`);
}

async function crashChecks(): Promise<void> {
  console.log('crash: kill -9 the broker');
  const pid = readPid('kafka');
  if (!pid) throw new Error('no broker pid');
  // An idempotent producer that lives across the crash (kafkajs #598: may need a restart afterwards).
  const survivor = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await survivor.connect();
  await produce(survivor, 70, 5);
  process.kill(pid, 'SIGKILL');
  await waitFor('broker gone', async () => !isAlive(pid), 10);
  await startBroker('after kill -9');
  check((await totalEnd()) === 75, 'all 75 acknowledged messages survived kill -9');
  const all = await consume(`smoke-after-crash-${runId}`, 75);
  check(new Set(all).size === 75, 'a new group reads all 75 from the beginning');
  try {
    await produce(survivor, 75, 5);
    console.log('  ok  idempotent producer from before the crash still sends');
  } catch (err) {
    console.log(`  note idempotent producer from before the crash fails: ${(err as Error).message} (reconnect it)`);
    await produce(survivor, 75, 0).catch(() => undefined);
  }
  await survivor.disconnect().catch(() => undefined);
  const fresh = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await fresh.connect();
  const before = await totalEnd();
  await produce(fresh, 100, 5);
  await fresh.disconnect();
  check((await totalEnd()) === before + 5, 'a fresh idempotent producer works after the restart');
}

async function main(): Promise<void> {
  if (quick) {
    check(await kafkaAnswers(), `broker answers at ${KAFKA_BROKERS}`);
    await clientChecks();
    await admin.deleteTopics({ topics: [TOPIC] });
    await admin.deleteGroups([`smoke-${runId}`]);
    await admin.disconnect();
    return;
  }
  if (await kafkaAnswers()) throw new Error(`a broker already answers at ${KAFKA_BROKERS}; the full run kills it, use --quick`);
  weStarted = true;
  await startBroker('first start');
  const pid = readPid('kafka');
  await sleep(15_000);
  if (pid) console.log(`idle RSS after 15 s: ${rssMiB(pid)} MiB`);
  await clientChecks();
  await crashChecks();
  await admin.deleteTopics({ topics: [TOPIC] });
  await admin.deleteGroups([`smoke-${runId}`, `smoke-after-crash-${runId}`]);
  await admin.disconnect();
  console.log('clean stop');
  const logSize = statSync(logFile('kafka')).size;
  const t = Date.now();
  await component.stop();
  console.log(`stopped in ${ms(t)}`);
  const tail = readFileSync(logFile('kafka'), 'utf8').slice(logSize);
  check(/BrokerServer id=\d+\] shut down completed/.test(tail), 'log: "[BrokerServer id=1] shut down completed"');
  check(existsSync(join(KAFKA_DATA_DIR, '.kafka_cleanshutdown')), 'data dir has the .kafka_cleanshutdown marker');
  check(!/\bERROR\b/.test(tail), 'no ERROR lines during shutdown');
}

main().then(
  () => {
    console.log('smoke: all checks passed');
    process.exit(0);
  },
  async (err) => {
    console.error(err);
    if (weStarted) await component.stop(); // do not leave our broker behind
    process.exit(1);
  },
);
