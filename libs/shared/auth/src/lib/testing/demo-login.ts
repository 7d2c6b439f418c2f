import { createHmac } from 'node:crypto';
import { base32Encode, generateTotp } from '../totp';

// Helpers for tests and local demos against the demo seed. They only work where identity runs in
// development/test mode, where demo officers' TOTP secrets are derived from their usernames.

export const DEMO_PASSWORD_DEFAULT = 'demo-Passw0rd!';

/** The TOTP secret identity gives a demo officer in local mode: base32(HMAC-SHA256("gov-demo-totp-v1", username))[0..32). */
export function demoTotpSecret(username: string): string {
  return base32Encode(createHmac('sha256', 'gov-demo-totp-v1').update(username).digest()).slice(0, 32);
}

export interface DemoTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** Logs a demo user in (officers with their demo TOTP code) and returns the token response. */
export async function demoLogin(identityUrl: string, username: string, password: string = process.env['DEMO_PASSWORD'] ?? DEMO_PASSWORD_DEFAULT): Promise<DemoTokens> {
  const res = await fetch(`${identityUrl.replace(/\/$/, '')}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, totp: generateTotp(demoTotpSecret(username)) }),
  });
  if (!res.ok) throw new Error(`demo login of ${username} failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as DemoTokens;
}
