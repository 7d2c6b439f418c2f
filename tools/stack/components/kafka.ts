// Kafka: a real single-node KRaft broker (broker + controller in one JVM) run from Maven Central jars.
// Jars: tools/kafka/pom.xml -> .stack/kafka/libs (fetched again only when the pom changes).
// Config: tools/kafka/server.properties.template -> .stack/kafka/server.properties; data in .stack/data/kafka.
// See tools/kafka/README.md.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  CACHE_DIR,
  DATA_DIR,
  ROOT,
  STATE_DIR,
  commandExists,
  isAlive,
  logFile,
  progress,
  readPid,
  runLogged,
  spawnDaemon,
  stopDaemon,
  type Component,
} from '../lib';

export const KAFKA_HOST = '127.0.0.1';
export const KAFKA_PORT = Number(process.env.KAFKA_PORT ?? 9092);
export const KAFKA_CONTROLLER_PORT = Number(process.env.KAFKA_CONTROLLER_PORT ?? 9093);
/** Bootstrap servers for the services (comma-separated host:port). */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? `${KAFKA_HOST}:${KAFKA_PORT}`;

const TOOLS_DIR = join(ROOT, 'tools', 'kafka');
const POM = join(TOOLS_DIR, 'pom.xml');
const TEMPLATE = join(TOOLS_DIR, 'server.properties.template');
const LOG4J_CONFIG = join(TOOLS_DIR, 'log4j2.properties');
const KAFKA_DIR = join(STATE_DIR, 'kafka');
export const KAFKA_LIBS_DIR = join(KAFKA_DIR, 'libs');
export const KAFKA_PROPERTIES = join(KAFKA_DIR, 'server.properties');
export const KAFKA_DATA_DIR = join(DATA_DIR, 'kafka');
const HASH_FILE = join(CACHE_DIR, 'kafka.hash');

function pomHash(): string {
  return createHash('sha256').update(readFileSync(POM)).digest('hex');
}

/** Download kafka_2.13 and its runtime deps unless .stack/kafka/libs already holds the set for this pom. */
function fetchJars(): void {
  const hash = pomHash();
  const cached = existsSync(HASH_FILE) ? readFileSync(HASH_FILE, 'utf8').trim() : '';
  if (existsSync(KAFKA_LIBS_DIR) && cached === hash) return;
  if (!commandExists('mvn')) throw new Error('kafka: mvn (Maven) is needed to fetch the broker jars from Maven Central');
  const pid = readPid('kafka');
  if (isAlive(pid)) throw new Error(`kafka: the broker (pid ${pid}) is running from the old jars; stop it before they are replaced`);
  progress('kafka', 'fetching broker jars from Maven Central (tools/kafka/pom.xml)');
  const tmp = `${KAFKA_LIBS_DIR}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  // Into a temp dir first, so an interrupted download never looks like a complete set.
  runLogged('kafka-prepare', 'mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`]);
  rmSync(KAFKA_LIBS_DIR, { recursive: true, force: true });
  renameSync(tmp, KAFKA_LIBS_DIR);
  writeFileSync(HASH_FILE, `${hash}\n`);
}

function renderProperties(): void {
  const values: Record<string, string> = {
    HOST: KAFKA_HOST,
    KAFKA_PORT: String(KAFKA_PORT),
    KAFKA_CONTROLLER_PORT: String(KAFKA_CONTROLLER_PORT),
    LOG_DIRS: KAFKA_DATA_DIR,
  };
  const text = readFileSync(TEMPLATE, 'utf8')
    .split('\n')
    .map((line) =>
      line.startsWith('#')
        ? line
        : line.replace(/\$\{([A-Z_]+)\}/g, (whole, key: string) => {
            if (!(key in values)) throw new Error(`kafka: unknown placeholder ${whole} in ${TEMPLATE}`);
            return values[key];
          }),
    )
    .join('\n');
  mkdirSync(KAFKA_DIR, { recursive: true });
  writeFileSync(KAFKA_PROPERTIES, text);
}

/** A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints). */
function newClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id; // Kafka's Uuid.randomUuid() avoids ids that look like CLI flags
  }
}

function classpath(): string {
  return `${KAFKA_LIBS_DIR}/*`;
}

/** Format the KRaft storage once; later runs find meta.properties and leave the data alone. */
function formatStorage(): void {
  if (existsSync(join(KAFKA_DATA_DIR, 'meta.properties'))) return;
  const clusterId = newClusterId();
  progress('kafka', `formatting storage in ${KAFKA_DATA_DIR} (cluster id ${clusterId})`);
  mkdirSync(KAFKA_DATA_DIR, { recursive: true });
  // Static voter set in server.properties (controller.quorum.voters), so no --standalone here.
  runLogged('kafka-prepare', 'java', [
    '-Xmx256m',
    '-cp',
    classpath(),
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    KAFKA_PROPERTIES,
  ]);
}

/**
 * Kafka protocol check: the broker answers Metadata, a controller is known, every partition of every topic has a
 * leader, and the leader answers ListOffsets for every (non-internal) topic. The last two matter after a crash
 * (kill -9): the restarted broker serves metadata naming itself leader a moment before its replica manager has
 * taken the partitions back, and clients that start in that window get NOT_LEADER_FOR_PARTITION.
 */
export async function kafkaAnswers(brokers = `${KAFKA_HOST}:${KAFKA_PORT}`, timeoutMs = 3000): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'stack-health',
    brokers: brokers.split(','),
    connectionTimeout: Math.min(1000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const check = (async () => {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0 || cluster.controller === null) return false;
      const { topics } = await admin.fetchTopicMetadata();
      if (!topics.every((t) => t.partitions.every((p) => p.partitionErrorCode === 0 && p.leader >= 0))) return false;
      const userTopics = topics.map((t) => t.name).filter((name) => !name.startsWith('__'));
      await Promise.all(userTopics.map((topic) => admin.fetchTopicOffsets(topic))); // throws NOT_LEADER while not ready
      return true;
    })();
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([check, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

export const kafka: Component = {
  name: 'kafka',
  needs: [],
  startTimeoutSec: 90,

  async prepare() {
    if (!commandExists('java')) throw new Error('kafka: java (17+) is needed to run the broker');
    fetchJars();
    renderProperties();
    formatStorage();
  },

  async healthy() {
    return kafkaAnswers();
  },

  async start() {
    if (isAlive(readPid('kafka'))) return;
    spawnDaemon('kafka', 'java', [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      '-Dlog4j2.shutdownHookEnabled=false',
      '-cp',
      classpath(),
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      'kafka.Kafka',
      KAFKA_PROPERTIES,
    ]);
    progress('kafka', `broker starting on ${KAFKA_HOST}:${KAFKA_PORT} (log: ${logFile('kafka')})`);
  },

  async stop() {
    // A clean KRaft shutdown (controlled shutdown, flush, checkpoint) takes a few seconds; SIGKILL only as a last resort.
    await stopDaemon('kafka', 60_000);
  },
};
