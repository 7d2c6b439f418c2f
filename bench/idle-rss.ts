// Resident memory of each running stack component (from /proc), after letting them settle idle.
//   npx tsx bench/idle-rss.ts [settleSeconds=20]     (RSS_RUN_DIR=.side-stack for the side stack of bench/side-stack.ts)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const RUN = process.env.RSS_RUN_DIR ? join(__dirname, '..', process.env.RSS_RUN_DIR) : join(__dirname, '..', '.stack', 'run');
const settle = Number(process.argv[2] ?? 20);

function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return undefined;
  }
}

/** A component's RSS includes its child processes (postgres started by su, etc.). */
function treeRss(pid: number): number | undefined {
  const own = rssMiB(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]);
      if (ppid === pid) total += treeRss(Number(p)) ?? 0;
    } catch {
      /* gone */
    }
  }
  return Math.round(total * 10) / 10;
}

setTimeout(() => {
  const rows = readdirSync(RUN)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => {
      const pid = Number(readFileSync(join(RUN, f), 'utf8').trim());
      return { component: f.replace(/\.pid$/, ''), pid, rss_mib: treeRss(pid) };
    });
  console.table(rows);
}, settle * 1000);
