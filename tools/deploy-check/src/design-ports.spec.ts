import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESIGN_PORTS, REPO_ROOT } from './lib/paths';

/** DESIGN.md lives in shared/ beside the repository (CI clones main with shared/ next to it). */
const DESIGN = [join(REPO_ROOT, '..', 'shared', 'DESIGN.md'), join(REPO_ROOT, 'DESIGN.md')].find((p) => existsSync(p));

/** "PostgreSQL 5432, Kafka 9092 (...), engine 8080 (...), identity 3001, ..." from the "Local ports" bullet. */
export function portsFromDesign(text: string): Record<string, number> {
  const start = text.indexOf('Local ports');
  if (start < 0) throw new Error('DESIGN.md: no "Local ports" paragraph');
  const para = text.slice(start, text.indexOf('\n- ', start + 1) > 0 ? text.indexOf('\n- ', start + 1) : undefined);
  const out: Record<string, number> = {};
  for (const m of para.matchAll(/(PostgreSQL|Kafka|engine|identity|intake|approval|supervision|exchange) (\d{4})/g)) {
    out[m[1] === 'PostgreSQL' ? 'postgres' : m[1].toLowerCase()] = Number(m[2]);
  }
  return out;
}

describe('DESIGN_PORTS agrees with DESIGN.md', () => {
  (DESIGN ? it : it.skip)('every port in the table is the one DESIGN.md names', () => {
    expect(portsFromDesign(readFileSync(DESIGN!, 'utf8'))).toEqual(DESIGN_PORTS);
  });

  it('negative: a changed port in the text is noticed', () => {
    const text = '- Local ports (defaults): PostgreSQL 5432, Kafka 9092 (controller 9093), engine 8080, identity 3001, intake 3012, approval 3003, supervision 3004, exchange 3005.\n- next';
    expect(portsFromDesign(text)).not.toEqual(DESIGN_PORTS);
    expect(portsFromDesign(text)['intake']).toBe(3012);
  });
});
