import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type ComposeFile, checkCompose, envFileKeys, requiredVariables } from './lib/compose';
import { realDeployables } from './lib/fixtures';
import { DESIGN_PORTS, REPO_ROOT, readRepoFile, repoPath } from './lib/paths';
import { clone } from './lib/yaml-docs';

const composeText = readRepoFile('docker/compose.yaml');
const compose = parse(composeText, { merge: true }) as ComposeFile;
const opts = () => ({ composeDir: repoPath('docker'), designPorts: DESIGN_PORTS, deployables: realDeployables() });

describe('docker/compose.yaml', () => {
  it('has the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['approval', 'engine', 'identity', 'intake', 'kafka', 'postgres', 'supervision']);
  });

  it('passes every check (healthchecks, depends_on, ports, ${VAR} secrets, files, config keys)', () => {
    expect(checkCompose(compose, opts())).toEqual([]);
  });

  it('docker/.env.example names every variable compose requires, and only placeholders', () => {
    const example = readRepoFile('docker/.env.example');
    const keys = envFileKeys(example);
    for (const v of requiredVariables(composeText)) expect([v, keys.has(v)]).toEqual([v, true]);
    for (const line of example.split('\n').filter((l) => /PASSWORD|KEK|SECRET/.test(l) && !l.startsWith('#'))) expect(line).toMatch(/=change-me/);
  });

  it('a real docker/.env is git-ignored, never committed', () => {
    const tracked = spawnSync('git', ['ls-files', '--', 'docker/.env', 'docker/*.env', 'k8s/**/*.env'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(tracked.stdout.trim()).toBe('');
    const ignored = spawnSync('git', ['check-ignore', '-q', 'docker/.env'], { cwd: REPO_ROOT });
    expect(ignored.status).toBe(0);
  });

  it('the postgres init script is mounted into the image\'s init directory', () => {
    expect(compose.services['postgres'].volumes).toContain('./postgres-init.sql:/docker-entrypoint-initdb.d/10-gov-init.sql:ro');
    expect(readFileSync(repoPath('docker/postgres-init.sql'), 'utf8')).toContain('\\getenv');
  });

  describe('negative: broken compose files are rejected', () => {
    it('a service without a healthcheck and a depends_on to an unknown service', () => {
      const c = clone(compose);
      delete c.services['engine'].healthcheck;
      c.services['approval'].depends_on = { ...(c.services['approval'].depends_on as Record<string, { condition?: string }>), camunda: { condition: 'service_healthy' } };
      c.services['supervision'].depends_on = ['postgres'];
      expect(checkCompose(c, opts())).toEqual([
        'compose service engine: no healthcheck',
        'compose service approval: depends_on camunda, which is not a service',
        'compose service supervision: depends_on postgres without condition: service_healthy',
      ]);
    });

    it('a literal secret', () => {
      const c = clone(compose);
      (c.services['identity'].environment as Record<string, string>)['IDENTITY_KEK'] = 'a-very-long-literal-key-encryption-key-0123';
      (c.services['approval'].environment as Record<string, string>)['ENGINE_REST_PASSWORD'] = 'prefix-${ENGINE_REST_PASSWORD}';
      expect(checkCompose(c, opts())).toEqual([
        'compose service identity: IDENTITY_KEK must be a ${VAR} reference to the operator\'s .env, not a literal',
        'compose service approval: ENGINE_REST_PASSWORD must be a ${VAR} reference to the operator\'s .env, not a literal',
      ]);
    });

    it('a port that contradicts DESIGN.md, an unknown env var, a missing Dockerfile', () => {
      const c = clone(compose);
      c.services['intake'].ports = ['3012:3012'];
      (c.services['intake'].environment as Record<string, string>)['INTAKE_PORT'] = '3012';
      (c.services['supervision'].environment as Record<string, string>)['NOT_A_SETTING'] = 'x';
      c.services['engine'].build = { context: '..', dockerfile: 'docker/camunda.Dockerfile' };
      expect(checkCompose(c, opts())).toEqual([
        "compose service engine: Dockerfile docker/camunda.Dockerfile does not exist",
        "compose service intake: container port 3012 differs from DESIGN.md's 3002",
        'compose service intake: listens on 3012 (INTAKE_PORT) but DESIGN.md says 3002',
        "compose service supervision: NOT_A_SETTING is not in supervision's configuration schema",
      ]);
    });

    it('an unpinned image and an undeclared volume', () => {
      const c = clone(compose);
      c.services['postgres'].image = 'postgres:latest';
      c.services['kafka'].volumes = ['kafkadata:/var/lib/kafka/data'];
      expect(checkCompose(c, opts())).toEqual([
        'compose service postgres: image postgres:latest is not pinned to a tag',
        'compose service kafka: volume kafkadata is not declared under volumes:',
      ]);
    });
  });
});
