import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function lint(cases: { filePath: string; code: string }[]): string[][] {
  const out = execFileSync(process.execPath, [join(__dirname, 'lint-probe.mjs'), JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
  return JSON.parse(out) as string[][];
}

describe('workspace lint rules', () => {
  const [crossScope, sharedCalendar, allowed, unguarded, publicOk, guardedOk] = lint([
    { filePath: 'apps/intake/src/config.ts', code: "import { SUPERVISION_CONFIG } from '../../supervision/src/config';\nexport const c = SUPERVISION_CONFIG;\n" },
    { filePath: 'apps/intake/src/config.ts', code: "import { WorkingCalendar } from '@gov/calendar';\nexport const c = new WorkingCalendar();\n" },
    { filePath: 'apps/intake/src/config.ts', code: "import { TOPICS } from '@gov/contracts';\nexport const t = TOPICS.intakeApplication.name;\n" },
    { filePath: 'apps/intake/src/config.ts', code: "import { Controller, Get } from '@nestjs/common';\n@Controller('x')\nexport class X {\n  @Get()\n  get(): number {\n    return 1;\n  }\n}\n" },
    { filePath: 'apps/intake/src/config.ts', code: "import { Controller, Get } from '@nestjs/common';\nimport { Public } from '@gov/service-kit';\n@Controller('x')\nexport class X {\n  @Public()\n  @Get()\n  get(): number {\n    return 1;\n  }\n}\n" },
    { filePath: 'apps/intake/src/config.ts', code: "import { Controller, Get, UseGuards, type CanActivate } from '@nestjs/common';\nclass G implements CanActivate {\n  canActivate(): boolean {\n    return true;\n  }\n}\n@UseGuards(G)\n@Controller('x')\nexport class X {\n  @Get()\n  get(): number {\n    return 1;\n  }\n}\n" },
  ]);

  it('forbids a service from importing another service', () => {
    expect(crossScope).toContain('@nx/enforce-module-boundaries');
  });

  it('lets a service import shared libs (the working-day calendar is scope:shared)', () => {
    expect(sharedCalendar).not.toContain('@nx/enforce-module-boundaries');
    expect(allowed).not.toContain('@nx/enforce-module-boundaries');
  });

  it('fails an endpoint that has no guard', () => {
    expect(unguarded).toContain('gov/controller-requires-guard');
  });

  it('accepts endpoints that are guarded or explicitly public', () => {
    expect(publicOk).not.toContain('gov/controller-requires-guard');
    expect(guardedOk).not.toContain('gov/controller-requires-guard');
  });
});
