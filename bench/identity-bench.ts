// Identity benchmark (a script, not a test):
//   1. in-process guard throughput: AuthGuard + TokenVerifier checking EdDSA access tokens against an in-memory JWKS;
//   2. login latency under N concurrent clients against a real identity instance it starts itself (fresh database
//      identity_bench, scrypt at the production cost, rate limits lifted for the run).
// Run: npx tsx --tsconfig tsconfig.base.json bench/identity-bench.ts [--seconds 10] [--clients 8,32]
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { Client } from 'pg';
import { AuthGuard } from '../libs/shared/auth/src/lib/auth.guard';
import { TokenVerifier } from '../libs/shared/auth/src/lib/token-verifier';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', '10'));
const CLIENTS = arg('clients', '8,32').split(',').map(Number);
const PORT = Number(arg('port', '3091'));
const DB = 'identity_bench';
const ROOT = join(__dirname, '..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function guardBench(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ ptype: 'officer', name: '张三', roles: ['handler'], orgs: ['ORG-1', 'ORG-2'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'bench' })
    .setIssuer('http://bench')
    .setAudience('gov-platform')
    .setSubject('user-1')
    .setJti('j')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  class C {
    h(): void {}
  }
  const ctxFor = (req: unknown) =>
    ({ getType: () => 'http', getHandler: () => C.prototype.h, getClass: () => C, switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;
  // "full": every request pays the signature check (cache off); "cached": a client repeating its token.
  for (const [label, verifiedCacheSize] of [['full verification', 0], ['verified-token cache hit', 10_000]] as const) {
    const options = { issuer: 'http://bench', audience: 'gov-platform', keyResolver: createLocalJWKSet({ keys: [jwk] }), verifiedCacheSize };
    const guard = new AuthGuard(new Reflector(), new TokenVerifier(options), options);
    for (let i = 0; i < 1000; i++) await guard.canActivate(ctxFor({ headers: { authorization: `Bearer ${token}` } }));
    let n = 0;
    const end = Date.now() + SECONDS * 1000;
    const started = process.hrtime.bigint();
    while (Date.now() < end) {
      for (let i = 0; i < 200; i++) await guard.canActivate(ctxFor({ headers: { authorization: `Bearer ${token}` } }));
      n += 200;
    }
    const secs = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`guard (${label}): ${n} in ${secs.toFixed(1)} s = ${Math.round(n / secs)} verifications/s on one core (EdDSA, in-memory JWKS)`);
  }
}

async function admin(sql: string): Promise<void> {
  const c = new Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function startIdentity(): Promise<ChildProcess> {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DB} OWNER gov_owner`);
  const c = new Client({ host: '127.0.0.1', user: 'gov_owner', database: DB });
  await c.connect();
  await c.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app');
  await c.end();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/identity/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(ROOT, 'apps/identity/tsconfig.json'),
      IDENTITY_DB: DB,
      IDENTITY_PORT: String(PORT),
      LOG_LEVEL: 'warn',
      LOGIN_RATE_PER_MINUTE_PER_IP: '100000000',
      LOGIN_RATE_PER_MINUTE_PER_USER: '100000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/health/ready`);
      if (r.ok) {
        // the demo seed runs before listening, so the users exist now
        return child;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  throw new Error('identity did not become ready');
}

async function loginBench(clients: number): Promise<void> {
  const users = ['zhangsan', 'lisi', 'acme'];
  const latencies: number[] = [];
  let failures = 0;
  const end = Date.now() + SECONDS * 1000;
  const worker = async (w: number) => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${PORT}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: users[w % users.length], password: process.env['DEMO_PASSWORD'] ?? 'demo-Passw0rd!' }),
      });
      await res.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => worker(i)));
  latencies.sort((a, b) => a - b);
  console.log(
    `login, ${clients} concurrent clients, ${SECONDS} s: ${latencies.length} logins (${failures} failed), ${(latencies.length / SECONDS).toFixed(1)}/s, ` +
      `p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  await guardBench();
  const child = await startIdentity();
  try {
    for (const c of CLIENTS) await loginBench(c);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
