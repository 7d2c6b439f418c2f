import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const json = (f: string) => JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as Record<string, Record<string, unknown>>;

describe('build configuration', () => {
  it('gives swc (service builds) exactly the path aliases TypeScript and jest use', () => {
    const tsPaths = (json('tsconfig.base.json').compilerOptions as { paths: Record<string, string[]> }).paths;
    const swcPaths = (json('.swcrc').jsc as { paths: Record<string, string[]> }).paths;
    expect(swcPaths).toEqual(tsPaths);
  });

  it('keeps TypeScript strict everywhere', () => {
    const options = json('tsconfig.base.json').compilerOptions;
    expect(options.strict).toBe(true);
  });
});
