export interface ServiceTokenClientOptions {
  /** The identity service's token endpoint, e.g. http://127.0.0.1:3001/oauth/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Refresh this long before expiry. Default 30 s. */
  refreshSkewSeconds?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

/**
 * Client-credentials tokens for workers and service-to-service calls: fetched on first use, cached, refreshed
 * shortly before expiry; concurrent callers share one request.
 */
export class ServiceTokenClient {
  private cached?: { token: string; expiresAtMs: number };
  private pending?: Promise<string>;

  constructor(private readonly options: ServiceTokenClientOptions) {}

  async getToken(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const skewMs = (this.options.refreshSkewSeconds ?? 30) * 1000;
    if (this.cached && this.cached.expiresAtMs - skewMs > now) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  async authorizationHeader(): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.getToken()}` };
  }

  /** Forget the cached token (e.g. after a 401 caused by key rotation or revocation). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const doFetch = this.options.fetchImpl ?? fetch;
    const res = await doFetch(this.options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret }),
    });
    if (!res.ok) throw new Error(`service token request failed: HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') throw new Error('service token response is malformed');
    this.cached = { token: body.access_token, expiresAtMs: (this.options.now ?? Date.now)() + body.expires_in * 1000 };
    return body.access_token;
  }
}
