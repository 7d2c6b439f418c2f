import { readdirSync } from 'node:fs';
import { checkDockerfile, parseDockerfile } from './lib/dockerfile';
import { NODE_SERVICES, REPO_ROOT, readRepoFile, repoPath } from './lib/paths';

const dockerfiles = readdirSync(repoPath('docker')).filter((f) => f.endsWith('.Dockerfile'));

describe('docker/*.Dockerfile (hadolint-style checks)', () => {
  it('has the three images', () => {
    expect(dockerfiles.sort()).toEqual(['engine.Dockerfile', 'kafka.Dockerfile', 'node-service.Dockerfile']);
  });

  it.each(dockerfiles)('%s: pinned bases, non-root numeric USER, HEALTHCHECK, exec-form CMD, apt hygiene, COPY sources exist', (f) => {
    expect(checkDockerfile(readRepoFile('docker', f), f, { contextDir: REPO_ROOT })).toEqual([]);
  });

  it.each(NODE_SERVICES)('node-service.Dockerfile builds %s from files that exist', (app) => {
    expect(checkDockerfile(readRepoFile('docker/node-service.Dockerfile'), 'node-service.Dockerfile', { contextDir: REPO_ROOT, buildArgs: { APP: app } })).toEqual([]);
  });

  it('node-service.Dockerfile: Nx build in the build stage, production deps only at runtime, health on /health/live', () => {
    const ins = parseDockerfile(readRepoFile('docker/node-service.Dockerfile'));
    const runs = ins.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.includes('npx nx run "${APP}:build"'))).toBe(true);
    expect(runs.some((r) => r.includes('npm install --omit=dev'))).toBe(true);
    expect(ins.find((i) => i.keyword === 'HEALTHCHECK')?.args).toContain('/health/live');
    expect(ins.filter((i) => i.keyword === 'FROM').map((i) => i.args)).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    expect(readRepoFile('docker/node-service.Dockerfile')).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
  });

  it('the Kafka image pins the version of tools/kafka/pom.xml (compose and k8s tags too)', () => {
    const version = /<kafka\.version>([^<]+)</.exec(readRepoFile('tools/kafka/pom.xml'))?.[1];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readRepoFile('docker/kafka.Dockerfile')).toContain('COPY tools/kafka/pom.xml');
    expect(readRepoFile('docker/compose.yaml')).toContain(`KAFKA_IMAGE_TAG:-${version}`);
    expect(readRepoFile('k8s/base/kafka.yaml')).toContain(`image: gov/kafka:${version}`);
    expect(readRepoFile('k8s/overlays/county/kustomization.yaml')).toContain(`newTag: "${version}"`);
  });

  describe('negative: broken Dockerfiles are rejected', () => {
    it('latest / untagged / unversioned base images', () => {
      const text = 'FROM node:latest AS a\nFROM ubuntu AS b\nFROM debian:bookworm-slim\nUSER 1000\nHEALTHCHECK CMD ["true"]\nCMD ["node"]\n';
      expect(checkDockerfile(text, 'x')).toEqual([
        'x:1: FROM node:latest uses latest (DL3007)',
        'x:2: FROM ubuntu has no tag (DL3006)',
        'x:3: FROM debian:bookworm-slim: tag bookworm-slim names no version',
      ]);
    });

    it('no USER, root, or a user name', () => {
      expect(checkDockerfile('FROM node:20-bookworm-slim\nHEALTHCHECK CMD ["true"]\nCMD ["node"]\n', 'x')).toEqual(['x: the final stage has no USER (runs as root, DL3002)']);
      expect(checkDockerfile('FROM node:20-bookworm-slim\nUSER root\nHEALTHCHECK CMD ["true"]\nCMD ["node"]\n', 'x')).toEqual(['x: the final stage runs as root (DL3002)']);
      expect(checkDockerfile('FROM node:20-bookworm-slim\nUSER node\nHEALTHCHECK CMD ["true"]\nCMD ["node"]\n', 'x')).toEqual([
        'x: USER node is not numeric (Kubernetes runAsNonRoot cannot verify a user name)',
      ]);
    });

    it('USER only in the build stage, no HEALTHCHECK, shell-form CMD, apt without hygiene, missing COPY source', () => {
      const text = [
        'FROM node:20-bookworm-slim AS build',
        'USER 1000',
        'FROM node:20-bookworm-slim',
        'RUN apt-get update && apt-get install -y curl',
        'COPY docker/nope.sh /nope.sh',
        'CMD node main.js',
      ].join('\n');
      expect(checkDockerfile(text, 'x', { contextDir: REPO_ROOT })).toEqual([
        'x: the final stage has no USER (runs as root, DL3002)',
        'x: the final stage has no HEALTHCHECK',
        'x:4: apt-get install without --no-install-recommends (DL3015)',
        'x:4: apt lists not removed (DL3009)',
        'x:5: COPY source docker/nope.sh does not exist in the build context',
        'x:6: CMD in shell form (DL3025)',
      ]);
    });
  });
});
