// Which environment variables each deployable reads, taken from the source text (tools may not import app code:
// module boundaries), and which port it listens on by default.
import { existsSync } from 'node:fs';
import { NODE_SERVICES, readRepoFile, repoPath } from './paths';

const KEY_RE = /^\s*([A-Z][A-Z0-9_]*)\s*:/gm;

function keysIn(text: string): string[] {
  return [...text.matchAll(KEY_RE)].map((m) => m[1]);
}

/** Keys of `baseConfigShape` in the service kit's config.ts text. */
export function baseShapeKeys(serviceKitConfigText: string): string[] {
  const start = serviceKitConfigText.indexOf('export const baseConfigShape = {');
  if (start < 0) throw new Error('baseConfigShape not found in the service kit config');
  const end = serviceKitConfigText.indexOf('\n};', start);
  return keysIn(serviceKitConfigText.slice(start, end));
}

/** Environment keys a service's config.ts text declares (its schema object keys, plus baseConfigShape when spread). */
export function configKeysFromText(configText: string, serviceKitConfigText: string): Set<string> {
  const keys = new Set(keysIn(configText));
  if (configText.includes('...baseConfigShape')) for (const k of baseShapeKeys(serviceKitConfigText)) keys.add(k);
  return keys;
}

/** The default of `<NAME>_PORT: env.port(N)` in a config.ts text. */
export function defaultPortFromText(configText: string, key: string): number | undefined {
  const m = new RegExp(`${key}\\s*:\\s*env\\.port\\((\\d+)\\)`).exec(configText);
  return m ? Number(m[1]) : undefined;
}

/** `${NAME}` / `${NAME:default}` placeholders in a Spring application.yaml. */
export function springPlaceholders(text: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const m of text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::([^}]*))?\}/g)) out.set(m[1], m[2]);
  return out;
}

/** ENV names a Dockerfile sets (both `ENV A=1 B=2` and `ENV A 1`). */
export function dockerfileEnvNames(dockerfileText: string): string[] {
  const joined = dockerfileText.replace(/\\\r?\n/g, ' ');
  const names: string[] = [];
  for (const line of joined.split(/\r?\n/)) {
    const m = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!m) continue;
    const body = m[1].trim();
    if (/^[A-Za-z_][A-Za-z0-9_]*\s+[^=]*$/.test(body) && !body.includes('=')) names.push(body.split(/\s+/)[0]);
    else for (const kv of body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)) names.push(kv[1]);
  }
  return names;
}

/** Variables a shell script reads (`${KAFKA_X...}` / `$KAFKA_X`) with the given prefix. */
export function shellVars(text: string, prefix: string): string[] {
  return [...new Set([...text.matchAll(new RegExp(`\\$\\{?(${prefix}[A-Z0-9_]*)`, 'g'))].map((m) => m[1]))];
}

export interface Deployable {
  /** Environment variables the process reads. */
  envKeys: Set<string>;
  /** The port it listens on by default. */
  defaultPort: number;
  /** The env var that changes the port. */
  portKey: string;
}

/** Reads the real sources: apps/<svc>/src/config.ts, the engine's application.yaml + Dockerfile, the Kafka entrypoint. */
export function loadDeployables(): Record<string, Deployable> {
  const kit = readRepoFile('libs/shared/service-kit/src/config/config.ts');
  const out: Record<string, Deployable> = {};
  for (const svc of NODE_SERVICES) {
    const text = readRepoFile('apps', svc, 'src', 'config.ts');
    const portKey = `${svc.toUpperCase()}_PORT`;
    const port = defaultPortFromText(text, portKey);
    if (port === undefined) throw new Error(`apps/${svc}/src/config.ts: no ${portKey}: env.port(N)`);
    out[svc] = { envKeys: configKeysFromText(text, kit), defaultPort: port, portKey };
  }
  const spring = springPlaceholders(readRepoFile('apps/engine/src/main/resources/application.yaml'));
  const enginePort = Number(spring.get('ENGINE_PORT'));
  out['engine'] = {
    envKeys: new Set([...spring.keys(), ...dockerfileEnvNames(readRepoFile('docker/engine.Dockerfile')), 'SPRING_PROFILES_ACTIVE']),
    defaultPort: enginePort,
    portKey: 'ENGINE_PORT',
  };
  const entry = readRepoFile('docker/kafka-entrypoint.sh');
  const kafkaDockerfile = readRepoFile('docker/kafka.Dockerfile');
  const kafkaPort = /KAFKA_PORT=(\d+)/.exec(kafkaDockerfile);
  out['kafka'] = {
    envKeys: new Set([...shellVars(entry, 'KAFKA_'), ...dockerfileEnvNames(kafkaDockerfile)]),
    defaultPort: kafkaPort ? Number(kafkaPort[1]) : NaN,
    portKey: 'KAFKA_PORT',
  };
  return out;
}

export function appExists(app: string): boolean {
  return existsSync(repoPath('apps', app, 'src', 'config.ts'));
}
