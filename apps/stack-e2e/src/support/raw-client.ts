import { Agent, request } from 'node:http';

// A raw HTTP client for the hostile suites: it sends exactly the bytes and headers it is given (fetch would
// normalise them), tells a connection reset apart from an answer, and bounds its concurrency.

export interface RawRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Sent as is. A string is sent as UTF-8. */
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Set when no HTTP answer came back: 'reset' (ECONNRESET, EPIPE, socket hang up), 'timeout' or another error code. */
  failure?: string;
  ms: number;
  /**
   * True when the first try went out on a kept-alive connection that the server had already closed as idle (the
   * reset came before any byte of an answer) and the request was sent again on a new connection. Node's own
   * guidance for keep-alive clients; a reset on a new connection is never retried and stays a failure.
   */
  retriedStale?: boolean;
}

export interface RawClientOptions {
  /** Parallel connections at most. */
  concurrency?: number;
  /**
   * Source address of the client's connections (any 127.x address reaches a service listening on 127.0.0.1), so
   * that the suites' junk counts against their own per-address budgets and not against other tests on 127.0.0.1.
   */
  localAddress?: string;
  timeoutMs?: number;
}

export class RawClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly localAddress?: string;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;

  constructor(options: RawClientOptions = {}) {
    this.concurrency = options.concurrency ?? 8;
    this.agent = new Agent({ keepAlive: true, maxSockets: this.concurrency });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.localAddress = options.localAddress;
  }

  /** Sends one request, waiting for a free slot first. */
  async send(req: RawRequest): Promise<RawResponse> {
    await this.acquire();
    try {
      const first = await this.once(req);
      if (!first.staleReset) return strip(first);
      return { ...strip(await this.once(req, true)), retriedStale: true };
    } finally {
      this.release();
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.waiting.push(() => resolve());
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private once(req: RawRequest, fresh = false): Promise<RawResponse & { staleReset?: boolean }> {
    const started = Date.now();
    const url = new URL(req.url);
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
    return new Promise<RawResponse & { staleReset?: boolean }>((resolve) => {
      let settled = false;
      let answered = false;
      const finish = (r: Omit<RawResponse, 'ms'> & { staleReset?: boolean }): void => {
        if (settled) return;
        settled = true;
        resolve({ ...r, ms: Date.now() - started });
      };
      const r = request(
        {
          host: url.hostname,
          port: url.port,
          // The path goes out exactly as given (percent escapes included); URL would re-encode it.
          path: rawPath(req.url),
          method: req.method,
          headers,
          // A retry goes on a connection of its own, never on another kept-alive one.
          agent: fresh ? false : this.agent,
          localAddress: this.localAddress,
          timeout: this.timeoutMs,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e: NodeJS.ErrnoException) => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), failure: classify(e) }));
        },
      );
      r.on('timeout', () => {
        r.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
      });
      r.on('error', (e: NodeJS.ErrnoException) => {
        const failure = classify(e);
        finish({ status: 0, headers: {}, text: '', failure, staleReset: !fresh && !answered && r.reusedSocket && failure === 'reset' });
      });
      if (body !== undefined) r.write(body);
      r.end();
    });
  }
}

function strip(r: RawResponse & { staleReset?: boolean }): RawResponse {
  const { staleReset: _stale, ...rest } = r;
  return rest;
}

function classify(e: NodeJS.ErrnoException): string {
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.message === 'socket hang up') return 'reset';
  if (e.code === 'TIMEOUT') return 'timeout';
  return e.code ?? e.message;
}

/** The path and query of an absolute URL, byte for byte as written. */
export function rawPath(url: string): string {
  const afterScheme = url.indexOf('//');
  const slash = url.indexOf('/', afterScheme + 2);
  return slash < 0 ? '/' : url.slice(slash);
}

/** Parses a JSON answer, or returns the text. */
export function parsed(res: RawResponse): unknown {
  try {
    return res.text ? (JSON.parse(res.text) as unknown) : undefined;
  } catch {
    return res.text;
  }
}
