// Prints an access token for a demo user of identity's local seed (officers log in with their demo TOTP code).
//   npx tsx tools/demo-token.ts handler.market
import { demoLogin } from '@gov/auth/testing';

const username = process.argv[2];
if (!username) {
  console.error('usage: npx tsx tools/demo-token.ts <username>   (users: apps/identity/README.md, e.g. handler.market, zhangsan)');
  process.exit(2);
}
demoLogin(process.env.IDENTITY_URL ?? 'http://127.0.0.1:3001', username)
  .then((t) => console.log(t.access_token))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
