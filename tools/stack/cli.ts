// The stack tool. `up` brings every component up in dependency order, reusing what already runs and what is
// already built; `down` stops them in reverse; `status` shows each one's health. Logs: .stack/logs/<name>.log.
import { type Component, LOG_DIR, progress, waitFor } from './lib';
import { engine } from './components/engine';
import { flows } from './components/flows';
import { kafka } from './components/kafka';
import { postgres } from './components/postgres';
import { services } from './components/services';
import { topics } from './components/topics';
import { seedDemo } from './demo';

const ALL: Component[] = [postgres, kafka, topics, engine, flows, ...services];

function ordered(selection: string[]): Component[] {
  const byName = new Map(ALL.map((c) => [c.name, c]));
  const out: Component[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const c = byName.get(name);
    if (!c) throw new Error(`unknown component ${name}; known: ${[...byName.keys()].join(', ')}`);
    seen.add(name);
    c.needs.forEach(visit);
    out.push(c);
  };
  (selection.length ? selection : ALL.map((c) => c.name)).forEach(visit);
  return out;
}

async function up(selection: string[], demo: boolean): Promise<void> {
  const started = Date.now();
  const components = ordered(selection);
  // Builds and downloads first, in parallel: they do not depend on running components.
  const preparing = new Map<string, Promise<void>>();
  for (const c of components) {
    if (c.prepare) preparing.set(c.name, (progress(c.name, 'preparing (build/download, cached)'), c.prepare()));
  }
  for (const c of components) {
    await preparing.get(c.name);
    if (c.kind === 'task') {
      progress(c.name, 'running');
      await c.start();
      await c.afterStart?.({ demo });
      progress(c.name, 'done');
      continue;
    }
    const healthy = await c.healthy();
    if (healthy && c.outdated && (await c.outdated())) {
      // Reusing it would test yesterday's code: restart it on the build just made.
      progress(c.name, 'running an older build: restarting');
      const t = Date.now();
      await c.stop();
      await c.start();
      await waitFor(`${c.name} to become healthy (log: ${LOG_DIR}/${c.name}.log)`, () => c.healthy(), c.startTimeoutSec ?? 60);
      progress(c.name, `healthy after ${((Date.now() - t) / 1000).toFixed(1)}s`);
    } else if (healthy) {
      progress(c.name, 'already running and healthy: reused');
    } else {
      progress(c.name, 'starting');
      const t = Date.now();
      await c.start();
      await waitFor(`${c.name} to become healthy (log: ${LOG_DIR}/${c.name}.log)`, () => c.healthy(), c.startTimeoutSec ?? 60);
      progress(c.name, `healthy after ${((Date.now() - t) / 1000).toFixed(1)}s`);
    }
    await c.afterStart?.({ demo });
  }
  await Promise.all(preparing.values());
  if (demo) await seedDemo();
  progress('stack', `up in ${((Date.now() - started) / 1000).toFixed(1)}s; logs in ${LOG_DIR}`);
}

async function down(selection: string[]): Promise<void> {
  // Named components only (not what they need); everything, in reverse order, when none is named.
  const chosen = selection.length ? ordered(selection).filter((c) => selection.includes(c.name)) : ordered([]);
  for (const c of chosen.reverse()) {
    if (c.kind === 'task') continue;
    progress(c.name, 'stopping');
    await c.stop();
  }
  progress('stack', 'down');
}

async function status(): Promise<void> {
  let allUp = true;
  for (const c of ALL) {
    if (c.kind === 'task') continue;
    const ok = await c.healthy();
    allUp &&= ok;
    process.stdout.write(`${c.name.padEnd(12)} ${ok ? 'healthy' : 'DOWN'}\n`);
  }
  process.exitCode = allUp ? 0 : 1;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const flags = rest.filter((a) => a.startsWith('--'));
  const names = rest.filter((a) => !a.startsWith('--'));
  switch (command) {
    case 'up':
      return up(names, flags.includes('--demo'));
    case 'down':
      return down(names);
    case 'status':
      return status();
    default:
      process.stderr.write('usage: stack up [--demo] [component...] | down [component...] | status\n');
      process.exitCode = 2;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`stack: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
