// Compiles one service and the libs it may import into dist/<app>/ with swc (decorator metadata on,
// @gov/* aliases rewritten to relative paths). Run the result with `node dist/<app>/apps/<app>/src/main.js`.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const app = process.argv[2];
if (!app || !existsSync(join(root, 'apps', app, 'src', 'main.ts'))) {
  console.error(`usage: build-app <app>  (apps/<app>/src/main.ts must exist)`);
  process.exit(2);
}
const out = join(root, 'dist', app);
rmSync(out, { recursive: true, force: true });
const res = spawnSync(
  join(root, 'node_modules/.bin/swc'),
  [`apps/${app}/src`, 'libs', '-d', out, '--config-file', '.swcrc', '--only', '**/*.ts', '--ignore', '**/*.spec.ts,**/*.integration-spec.ts,**/*.e2e-spec.ts,**/*.fixture.ts,libs/shared/testing/**', '--copy-files', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
process.exit(res.status ?? 1);
