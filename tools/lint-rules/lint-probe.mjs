// Lints snippets as if they lived at given paths, with the workspace's real ESLint config; prints rule ids as JSON.
// Used by lint-rules.spec.ts (ESLint loads its flat config with import(), which jest's VM cannot do in-process).
import { ESLint } from 'eslint';

const cases = JSON.parse(process.argv[2]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const c of cases) {
  const [result] = await eslint.lintText(c.code, { filePath: c.filePath });
  out.push(result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`));
}
process.stdout.write(JSON.stringify(out));
