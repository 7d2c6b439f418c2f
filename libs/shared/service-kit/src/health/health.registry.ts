import { Injectable } from '@nestjs/common';

export type HealthCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

/** Services register readiness checks (database, broker, engine); /health/ready runs them all with a timeout. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  /** Called on shutdown so load balancers stop routing before connections close. */
  markDraining(): void {
    this.draining = true;
  }

  async readiness(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.entries()].map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, name);
          return [name, { status: 'up' as const }] as const;
        } catch (e) {
          return [name, { status: 'down' as const, error: e instanceof Error ? e.message : String(e) }] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = {};
    for (const [name, result] of entries) checks[name] = result;
    const allUp = entries.every(([, r]) => r.status === 'up');
    if (this.draining) checks['shutdown'] = { status: 'down', error: 'draining' };
    return { status: allUp && !this.draining ? 'ok' : 'unavailable', checks };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} check timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
