import { Get, Post } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, Public } from '@gov/service-kit';
import type { AuthOptions } from '../auth.options';
import { RateLimit, RateLimitGuard } from './rate-limit.guard';
import type { RateLimitHit, RateLimitStore } from './rate-limit.store';

class MemoryStore implements RateLimitStore {
  readonly hits = new Map<string, number>();
  async hit(key: string, windowSeconds: number): Promise<RateLimitHit> {
    const n = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, n);
    return { hits: n, resetAt: new Date(Date.now() + windowSeconds * 1000) };
  }
}

// Not a controller (never served): only the route metadata the guard reads.
class Routes {
  @Post('login')
  @Public()
  @RateLimit('login')
  login(): void {
    // test target
  }
  @Get('open')
  @Public()
  open(): void {
    // test target
  }
  @Get('health/ready')
  @Public()
  health(): void {
    // test target
  }
  closed(): void {
    // test target
  }
}

const options: AuthOptions = {
  issuer: 'i',
  audience: 'a',
  rateLimits: {
    login: [{ by: 'ip', limit: 5, windowSeconds: 60 }, { by: { body: 'username' }, limit: 2, windowSeconds: 60 }],
    public: [{ by: 'ip', limit: 1, windowSeconds: 60 }],
  },
};

function call(guard: RateLimitGuard, handler: keyof Routes, path: string, body: unknown = {}, ip = '10.0.0.1') {
  const headers: Record<string, string> = {};
  const context = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ path, method: 'POST', ip, body }), getResponse: () => ({ setHeader: (k: string, v: string) => (headers[k] = v) }) }),
  } as unknown as ExecutionContext;
  return { result: guard.canActivate(context), headers };
}

describe('RateLimitGuard', () => {
  it("checks the account first, so an account's refused attempts do not use up its address", async () => {
    // given
    const store = new MemoryStore();
    const guard = new RateLimitGuard(new Reflector(), options, store);
    // when one account tries 6 times from an address
    for (let i = 0; i < 2; i++) await expect(call(guard, 'login', '/login', { username: 'Target' }).result).resolves.toBe(true);
    for (let i = 0; i < 4; i++) await expect(call(guard, 'login', '/login', { username: 'target ' }).result).rejects.toBeInstanceOf(AppError);
    // then the address has spent 2 of 5, and another account from it passes
    expect([...store.hits.entries()].find(([k]) => k.startsWith('login:client:'))?.[1]).toBe(2);
    await expect(call(guard, 'login', '/login', { username: 'colleague' }).result).resolves.toBe(true);
  });

  it('answers 429 with Retry-After and when to retry', async () => {
    const guard = new RateLimitGuard(new Reflector(), options, new MemoryStore());
    await call(guard, 'open', '/open').result;
    const refused = call(guard, 'open', '/open');
    const error = await refused.result.catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: 'TooManyRequests' });
    expect((error as AppError).message).toMatch(/retry after 60 s, at /);
    expect(refused.headers['Retry-After']).toBe('60');
  });

  it('applies the public budget to public routes only, never to health checks or authenticated routes', async () => {
    const guard = new RateLimitGuard(new Reflector(), options, new MemoryStore());
    for (let i = 0; i < 3; i++) {
      await expect(call(guard, 'health', '/health/ready').result).resolves.toBe(true);
      await expect(call(guard, 'closed', '/private').result).resolves.toBe(true);
    }
  });

  it('lets requests pass when the store is down', async () => {
    const guard = new RateLimitGuard(new Reflector(), options, { hit: () => Promise.reject(new Error('connection refused')) });
    await expect(call(guard, 'open', '/open').result).resolves.toBe(true);
  });
});
