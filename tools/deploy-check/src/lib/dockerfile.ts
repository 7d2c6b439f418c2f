// hadolint-style checks, implemented here (no hadolint binary on the machines): pinned base images, a non-root
// USER in the final stage, a HEALTHCHECK, exec-form CMD/ENTRYPOINT, apt hygiene, COPY sources that exist.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (buf === '' && /^\s*(#.*)?$/.test(raw)) continue;
    if (buf !== '' && /^\s*#/.test(raw)) continue;
    if (buf === '') start = i + 1;
    if (/\\\s*$/.test(raw)) {
      buf += raw.replace(/\\\s*$/, ' ');
      continue;
    }
    buf += raw;
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(buf);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: start });
    buf = '';
  }
  return out;
}

function substitute(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a?: string, b?: string) => vars[a ?? b ?? ''] ?? whole);
}

export interface DockerfileCheckOptions {
  /** Repository root (the build context) for COPY source checks. */
  contextDir?: string;
  /** Build args (e.g. APP) used to expand COPY sources. */
  buildArgs?: Record<string, string>;
  /** Whether the final stage must have a HEALTHCHECK (default true). */
  requireHealthcheck?: boolean;
}

export function checkDockerfile(text: string, name: string, opts: DockerfileCheckOptions = {}): string[] {
  const problems: string[] = [];
  const ins = parseDockerfile(text);
  const globalArgs: Record<string, string | undefined> = {};
  const stages: { name?: string; index: number; ins: Instruction[] }[] = [];
  for (const i of ins) {
    if (i.keyword === 'ARG' && stages.length === 0) {
      const [k, v] = i.args.split('=', 2);
      globalArgs[k.trim()] = v?.trim();
    }
    if (i.keyword === 'FROM') {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const image = substitute(parts[0], globalArgs);
      const stageName = parts[1]?.toUpperCase() === 'AS' ? parts[2] : undefined;
      const known = stages.some((s) => s.name === image);
      if (!known) {
        if (image.includes('$')) problems.push(`${name}:${i.line}: FROM ${parts[0]} cannot be resolved from ARG defaults`);
        else if (!image.includes('@')) {
          const colon = image.lastIndexOf(':');
          const tag = colon > image.lastIndexOf('/') ? image.slice(colon + 1) : undefined;
          if (!tag) problems.push(`${name}:${i.line}: FROM ${image} has no tag (DL3006)`);
          else if (tag === 'latest') problems.push(`${name}:${i.line}: FROM ${image} uses latest (DL3007)`);
          else if (!/\d/.test(tag)) problems.push(`${name}:${i.line}: FROM ${image}: tag ${tag} names no version`);
        }
      }
      stages.push({ name: stageName, index: stages.length, ins: [] });
      continue;
    }
    if (stages.length > 0) stages[stages.length - 1].ins.push(i);
  }
  if (stages.length === 0) return [`${name}: no FROM`];
  const final = stages[stages.length - 1];
  const users = final.ins.filter((i) => i.keyword === 'USER');
  const lastUser = users[users.length - 1]?.args.split(':')[0];
  if (!lastUser) problems.push(`${name}: the final stage has no USER (runs as root, DL3002)`);
  else if (lastUser === 'root' || lastUser === '0') problems.push(`${name}: the final stage runs as ${lastUser} (DL3002)`);
  else if (!/^\d+$/.test(lastUser)) problems.push(`${name}: USER ${lastUser} is not numeric (Kubernetes runAsNonRoot cannot verify a user name)`);
  if (opts.requireHealthcheck !== false && !final.ins.some((i) => i.keyword === 'HEALTHCHECK')) problems.push(`${name}: the final stage has no HEALTHCHECK`);
  for (const i of ins) {
    if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.args.startsWith('[')) problems.push(`${name}:${i.line}: ${i.keyword} in shell form (DL3025)`);
    if (i.keyword === 'RUN') {
      if (/\bsudo\b/.test(i.args)) problems.push(`${name}:${i.line}: sudo (DL3004)`);
      if (/apt-get\s+(-\S+\s+)*install/.test(i.args) && !/--no-install-recommends/.test(i.args)) problems.push(`${name}:${i.line}: apt-get install without --no-install-recommends (DL3015)`);
      if (/apt-get\s+(-\S+\s+)*install/.test(i.args) && !/rm -rf \/var\/lib\/apt\/lists/.test(i.args)) problems.push(`${name}:${i.line}: apt lists not removed (DL3009)`);
      if (/\bapt\s+install\b/.test(i.args)) problems.push(`${name}:${i.line}: apt instead of apt-get (DL3027)`);
      if (/curl[^|]*\|\s*(ba)?sh/.test(i.args)) problems.push(`${name}:${i.line}: pipes a download into a shell`);
    }
    if (i.keyword === 'ADD' && /https?:\/\//.test(i.args)) problems.push(`${name}:${i.line}: ADD of a URL (DL3020)`);
    if (i.keyword === 'COPY' && opts.contextDir && !/--from=/.test(i.args)) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        const expanded = substitute(src, opts.buildArgs ?? {});
        if (expanded.includes('$') || /[*?]/.test(expanded)) continue;
        if (!existsSync(join(opts.contextDir, expanded))) problems.push(`${name}:${i.line}: COPY source ${expanded} does not exist in the build context`);
      }
    }
  }
  return problems;
}
