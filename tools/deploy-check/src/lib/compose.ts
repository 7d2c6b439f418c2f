// docker/compose.yaml checks: healthchecks, depends_on, ports, secrets only as ${VAR}, referenced files exist,
// and every variable a service sets is read by that program.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Deployable } from './config-keys';
import { SECRET_NAME_RE } from './k8s-checks';

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  ports?: (string | number | { target: number; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const WHOLE_VAR = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?])[^}]*)?\}$/;

export function environmentOf(s: ComposeService): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (Array.isArray(s.environment)) {
    for (const kv of s.environment) {
      const eq = kv.indexOf('=');
      out.set(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? undefined : kv.slice(eq + 1));
    }
  } else {
    for (const [k, v] of Object.entries(s.environment ?? {})) out.set(k, v === null ? undefined : String(v));
  }
  return out;
}

function containerPorts(s: ComposeService): number[] {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'number') return p;
    if (typeof p === 'object') return p.target;
    const parts = p.split('/')[0].split(':');
    return Number(parts[parts.length - 1]);
  });
}

export interface ComposeCheckOptions {
  /** Directory of compose.yaml (relative paths resolve against it). */
  composeDir: string;
  designPorts: Readonly<Record<string, number>>;
  deployables: Record<string, Deployable>;
}

export function checkCompose(compose: ComposeFile, opts: ComposeCheckOptions): string[] {
  const problems: string[] = [];
  const names = Object.keys(compose.services ?? {});
  if (names.length === 0) return ['compose: no services'];
  for (const [name, s] of Object.entries(compose.services)) {
    const id = `compose service ${name}`;
    if (!s.healthcheck || s.healthcheck.disable || !s.healthcheck.test || (Array.isArray(s.healthcheck.test) && s.healthcheck.test[0] === 'NONE')) {
      problems.push(`${id}: no healthcheck`);
    }
    const deps: Record<string, { condition?: string }> = Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, {}])) : (s.depends_on ?? {});
    for (const [dep, cfg] of Object.entries(deps)) {
      if (!names.includes(dep)) problems.push(`${id}: depends_on ${dep}, which is not a service`);
      if (cfg.condition !== 'service_healthy') problems.push(`${id}: depends_on ${dep} without condition: service_healthy`);
    }
    const design = opts.designPorts[name];
    for (const p of containerPorts(s)) {
      if (design !== undefined && p !== design) problems.push(`${id}: container port ${p} differs from DESIGN.md's ${design}`);
    }
    const env = environmentOf(s);
    for (const [k, v] of env) {
      if (SECRET_NAME_RE.test(k) && (v === undefined || !WHOLE_VAR.test(v.trim()))) problems.push(`${id}: ${k} must be a \${VAR} reference to the operator's .env, not a literal`);
    }
    const d = opts.deployables[name];
    if (d) {
      for (const k of env.keys()) if (!d.envKeys.has(k)) problems.push(`${id}: ${k} is not in ${name}'s configuration schema`);
      const configured = env.get(d.portKey);
      const listens = configured !== undefined ? Number(configured) : d.defaultPort;
      if (design !== undefined && listens !== design) problems.push(`${id}: listens on ${listens} (${d.portKey}) but DESIGN.md says ${design}`);
    }
    if (s.build !== undefined) {
      const b = typeof s.build === 'string' ? { context: s.build } : s.build;
      const context = resolve(opts.composeDir, b.context ?? '.');
      const dockerfile = join(context, b.dockerfile ?? 'Dockerfile');
      if (!existsSync(context)) problems.push(`${id}: build context ${b.context ?? '.'} does not exist`);
      if (!existsSync(dockerfile)) problems.push(`${id}: Dockerfile ${b.dockerfile ?? 'Dockerfile'} does not exist`);
    } else if (!s.image) problems.push(`${id}: neither build nor image`);
    if (s.image) {
      const img = s.image.replace(/\$\{[^}]*:-([^}]*)\}/g, '$1');
      const colon = img.lastIndexOf(':');
      const tag = colon > img.lastIndexOf('/') ? img.slice(colon + 1) : undefined;
      if (!img.includes('@') && (!tag || tag === 'latest')) problems.push(`${id}: image ${s.image} is not pinned to a tag`);
    }
    for (const v of s.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (!source) continue;
      if (source.startsWith('.') || source.startsWith('/')) {
        if (!existsSync(resolve(opts.composeDir, source))) problems.push(`${id}: bind mount ${source} does not exist`);
      } else if (!(compose.volumes && source in compose.volumes)) problems.push(`${id}: volume ${source} is not declared under volumes:`);
    }
  }
  return problems;
}

/** Variables compose needs from the operator's .env: every ${VAR} without a default. */
export function requiredVariables(composeText: string): Set<string> {
  const out = new Set<string>();
  for (const m of composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?[^}]*\}/g)) {
    if (m[2] === undefined || m[2].endsWith('?')) out.add(m[1]);
  }
  return out;
}

/** KEY=VALUE lines of a .env file. */
export function envFileKeys(text: string): Set<string> {
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && l.includes('='))
      .map((l) => l.slice(0, l.indexOf('=')).trim()),
  );
}
