import { creditCodeCheckChar } from '@gov/contracts';
import { STACK, eventually, http } from '@gov/testing';
import { bearer } from './helpers';

// A county's supervision office (identity's demo user supervisor.dongcheng, jurisdiction 东城区) sees only its
// county's alerts on the SSE stream, the stream's pages and the alert ledger; the city's office sees both. Runs
// against the stack, whose supervision seeds the demo cases (DEMO_SEED) at 示范市 and 东城区 market bureaus.

const org = (division: string, n: number) => ((s: string) => s + creditCodeCheckChar(s))(`11${division}${String(n).padStart(9, '0')}`);
const CITY_MARKET = org('449900', 11);
const COUNTY = [org('449901', 1), org('449901', 2), org('449901', 11)]; // 东城区, 青石街道, 东城区市场监督管理局

interface Entry {
  seq: number;
  orgCode: string | null;
  caseNumber: string | null;
}

async function sseEntries(headers: Record<string, string>, timeoutMs = 5_000): Promise<Entry[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const entries: Entry[] = [];
  try {
    const res = await fetch(`${STACK.supervision}/alerts/stream?after=0`, { headers: { ...headers, accept: 'text/event-stream' }, signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // Only whole events (ended by a blank line): a read may end in the middle of one.
      const events = buffer.split('\n\n');
      buffer = events.pop() ?? '';
      for (const event of events) for (const m of event.matchAll(/^data: (.*)$/gm)) entries.push(JSON.parse(m[1]) as Entry);
    }
  } catch (e) {
    if ((e as { name?: string } | null)?.name !== 'AbortError') throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return entries;
}

/** Every item of a list paged by ledger seq (`after`, at most 500 a page), failing on any answer but 200. */
async function allPages<T extends { seq: number }>(path: string, headers: Record<string, string>): Promise<T[]> {
  const out: T[] = [];
  for (let after = 0; ; ) {
    const res = await http<T[]>('GET', `${STACK.supervision}${path}?after=${after}&limit=500`, undefined, headers);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    out.push(...res.body);
    if (res.body.length < 500) return out;
    after = res.body[res.body.length - 1].seq;
  }
}

describe("a county supervisor's jurisdiction", () => {
  it('streams, pages and lists only the alerts of the county, while the city supervisor sees the city bureau too', async () => {
    // given the demo alerts at both bureaus
    const city = await bearer('supervisor');
    const county = await bearer('supervisor.dongcheng');
    const page = (headers: Record<string, string>) => allPages<Entry>('/alerts/stream/entries', headers);
    await eventually('demo alerts at both bureaus', async () => {
      const all = await page(city);
      return all.some((e) => e.orgCode === CITY_MARKET) && all.some((e) => e.orgCode === COUNTY[2]);
    }, 60_000);
    // when the county supervisor reads the stream, its pages and the ledger
    const streamed = await sseEntries(county);
    const paged = await page(county);
    const ledger = await allPages<{ seq: number; caseNumber: string }>('/alerts', county);
    const cityLedger = await allPages<{ seq: number; caseNumber: string }>('/alerts', city);
    // then only the county's organisations (and platform-wide entries, which name none)
    for (const entries of [streamed, paged]) {
      expect(entries.some((e) => e.orgCode === COUNTY[2])).toBe(true);
      expect(entries.filter((e) => e.orgCode !== null && !COUNTY.includes(e.orgCode))).toEqual([]);
    }
    const countyCases = new Set(ledger.map((a) => a.caseNumber));
    expect(countyCases.has('DEMOSUP-20261201-000004')).toBe(true);
    expect(countyCases.has('DEMOSUP-20261201-000001')).toBe(false);
    expect(cityLedger.some((a) => a.caseNumber === 'DEMOSUP-20261201-000001')).toBe(true);
  });
});
