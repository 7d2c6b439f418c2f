import { X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { Ledger, ReanchorCheck, ReanchorStatement, Sql } from './ledger';

/** A chain's head: the last record of one partition of one ledger. */

/**
 * Identity refused or failed to sign submitted heads. `conflict` (409) means a head differs from the one already
 * anchored at that position: the chain was rewritten, an integrity finding to report, not a fault to retry.
 */
export class AnchorSubmitError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`POST /ledger/anchors answered ${status}: ${body}`);
    this.name = 'AnchorSubmitError';
  }
  get conflict(): boolean {
    return this.status === 409;
  }
}

export interface AnchorHead {
  ledger: string;
  partition: string;
  seq: string;
  hash: string;
}

/** A head signed by identity's anchoring key (compact JWS, ES256, x5c chaining to the platform's issuing CA). */
export interface SignedAnchor extends AnchorHead {
  anchoredAt: string;
  signature: string;
}

/** A published head as the verifier sees it: `invalid` says why its signature does not hold. */
export interface CheckedAnchor extends SignedAnchor {
  invalid?: string;
}

/** Where the published heads come from: the latest one per partition, in pages ordered by partition. */
export interface AnchorSource {
  latest(ledger: string, partition?: string): AsyncIterable<CheckedAnchor[]>;
}

export const ANCHOR_TYP = 'ledger-anchor+jws';
export const REANCHOR_TYP = 'ledger-reanchor+jws';
/** The organisational unit of the anchoring certificate: officers' and seals' certificates never carry it. */
export const ANCHOR_OU = 'platform-ledger';

/** The trust the verifier starts from: identity's issuing CA certificate (PEM), e.g. from `GET /ca/chain`. */
export interface AnchorTrust {
  issuingPem: string;
}

/** Verifies a compact JWS by the anchoring key and returns its payload; throws with the reason otherwise. */
export async function verifyAnchoringJws(jws: string, typ: string, trust: AnchorTrust, at?: string): Promise<Record<string, unknown>> {
  const header = decodeProtectedHeader(jws);
  if (header.alg !== 'ES256') throw new Error('not ES256');
  if (header.typ !== typ) throw new Error(`typ is not ${typ}`);
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') throw new Error('no x5c');
  const leaf = new X509Certificate(Buffer.from(x5c[0], 'base64'));
  const issuing = new X509Certificate(trust.issuingPem);
  if (!leaf.checkIssued(issuing) || !leaf.verify(issuing.publicKey)) throw new Error('certificate not issued by the platform CA');
  if (!leaf.subject.split('\n').includes(`OU=${ANCHOR_OU}`)) throw new Error('certificate is not an anchoring certificate');
  const when = at ? new Date(at).getTime() : Date.now();
  if (new Date(leaf.validFrom).getTime() > when || new Date(leaf.validTo).getTime() < when) throw new Error('certificate not valid at signing time');
  const { payload } = await compactVerify(jws, leaf.publicKey, { algorithms: ['ES256'] });
  return JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
}

/** Checks that a signed anchor's JWS says exactly what the anchor says. */
export async function checkAnchor(a: SignedAnchor, trust: AnchorTrust): Promise<CheckedAnchor> {
  try {
    const p = await verifyAnchoringJws(a.signature, ANCHOR_TYP, trust, a.anchoredAt);
    if (p.ledger !== a.ledger || p.partition !== a.partition || p.seq !== a.seq || p.hash !== a.hash || p.anchoredAt !== a.anchoredAt) throw new Error('signed content differs from the published head');
    return a;
  } catch (e) {
    return { ...a, invalid: e instanceof Error ? e.message : String(e) };
  }
}

/** Verifies re-anchor records' signatures (the repair path) against the same trust. */
export function reanchorCheck(trust: () => Promise<AnchorTrust>): ReanchorCheck {
  return {
    async verify(signature: unknown): Promise<ReanchorStatement> {
      if (typeof signature !== 'string') throw new Error('no signature');
      const p = await verifyAnchoringJws(signature, REANCHOR_TYP, await trust());
      return { ledger: String(p.ledger), partition: String(p.partition), seq: String(p.seq), hash: String(p.hash), brokenAt: String(p.brokenAt), reason: String(p.reason) };
    },
  };
}

export interface IdentityAnchorsOptions {
  /** Base URL of identity, e.g. http://127.0.0.1:3001. */
  identityUrl: string;
  /** Service-token headers (`ServiceTokenClient.authorizationHeader` from @gov/auth). */
  authorization: () => Promise<Record<string, string>>;
  fetch?: typeof fetch;
  pageSize?: number;
}

/** Identity's anchors over HTTP: submits heads (`POST /ledger/anchors`) and reads the signed ones back (`GET`). */
export class IdentityAnchors implements AnchorSource {
  private trust?: AnchorTrust;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: IdentityAnchorsOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private url(path: string): string {
    return `${this.options.identityUrl.replace(/\/$/, '')}${path}`;
  }

  async caTrust(): Promise<AnchorTrust> {
    if (!this.trust) {
      const res = await this.fetch(this.url('/ca/chain'));
      if (!res.ok) throw new Error(`GET /ca/chain answered ${res.status}`);
      const body = (await res.json()) as { issuing: string };
      this.trust = { issuingPem: body.issuing };
    }
    return this.trust;
  }

  async submit(heads: AnchorHead[]): Promise<SignedAnchor[]> {
    const res = await this.fetch(this.url('/ledger/anchors'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await this.options.authorization()) },
      body: JSON.stringify({ heads }),
    });
    if (!res.ok) throw new AnchorSubmitError(res.status, await res.text());
    return ((await res.json()) as { anchors: SignedAnchor[] }).anchors;
  }

  async *latest(ledger: string, partition?: string): AsyncGenerator<CheckedAnchor[]> {
    const trust = await this.caTrust();
    let after = '';
    for (;;) {
      const q = new URLSearchParams({ ledger, limit: String(this.options.pageSize ?? 500) });
      if (partition !== undefined) q.set('partition', partition);
      if (after) q.set('after', after);
      const res = await this.fetch(this.url(`/ledger/anchors?${q.toString()}`), { headers: await this.options.authorization() });
      if (!res.ok) throw new Error(`GET /ledger/anchors answered ${res.status}`);
      const body = (await res.json()) as { items: SignedAnchor[]; next: string | null };
      yield await Promise.all(body.items.map((a) => checkAnchor(a, trust)));
      if (!body.next) return;
      after = body.next;
    }
  }
}

export interface AnchoredLedger {
  ledger: Ledger<string>;
  db: Sql;
}

/**
 * Submits the heads of the chains that changed since the last round, at a fixed interval and on demand. Each
 * round re-reads a window of recent row ids (`overlap`), so a transaction that committed late is not missed;
 * identity keeps one anchor per (ledger, partition, seq), so resubmitting a head is harmless.
 */
export class LedgerAnchorer {
  private readonly watermarks = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly ledgers: AnchoredLedger[],
    private readonly submit: (heads: AnchorHead[]) => Promise<unknown>,
    private readonly options: { intervalMs: number; overlap?: number; batch?: number; onError?: (e: unknown) => void },
  ) {}

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.anchorNow().catch((e: unknown) => this.options.onError?.(e));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One round now (waits for a round already running); returns the number of heads submitted. */
  async anchorNow(): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<number> {
    let submitted = 0;
    const overlap = BigInt(this.options.overlap ?? 1000);
    for (const { ledger, db } of this.ledgers) {
      const mark = BigInt(this.watermarks.get(ledger.ledger) ?? '0');
      const upto = await ledger.maxRowId(db);
      const from = mark - overlap > 0n ? mark - overlap : 0n;
      let afterPartition = '';
      for (;;) {
        const heads = await ledger.changedHeads(db, { afterRowId: String(from), uptoRowId: upto, afterPartition, limit: this.options.batch ?? 200 });
        if (heads.length === 0) break;
        await this.submit(heads);
        submitted += heads.length;
        afterPartition = heads[heads.length - 1].partition;
      }
      this.watermarks.set(ledger.ledger, upto);
    }
    return submitted;
  }
}

/** Injection token (plain symbol, no framework) under which a service provides its AnchorSource. */
export const LEDGER_ANCHOR_SOURCE = Symbol('LEDGER_ANCHOR_SOURCE');

export interface ServiceAnchoringOptions {
  identityUrl: string;
  authorization: () => Promise<Record<string, string>>;
  ledgers: AnchoredLedger[];
  intervalMs: number;
  onError?: (e: unknown) => void;
}

/**
 * What a service runs for its ledgers: the anchorer that submits their heads to identity at a fixed interval (and
 * once at start), and the source its verification reads the signed heads from.
 */
export class ServiceAnchoring {
  readonly source: IdentityAnchors;
  readonly anchorer: LedgerAnchorer;

  constructor(private readonly options: ServiceAnchoringOptions) {
    this.source = new IdentityAnchors({ identityUrl: options.identityUrl, authorization: options.authorization });
    this.anchorer = new LedgerAnchorer(options.ledgers, (heads) => this.source.submit(heads), { intervalMs: options.intervalMs, onError: options.onError });
  }

  start(): void {
    this.anchorer.start();
    this.anchorer.anchorNow().catch((e: unknown) => this.options.onError?.(e));
  }

  stop(): Promise<void> {
    return this.anchorer.stop();
  }
}
