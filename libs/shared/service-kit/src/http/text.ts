// Well-formed text at the request edge: PostgreSQL refuses NUL in text and jsonb, and a lone UTF-16 surrogate
// cannot be stored as UTF-8 (it is replaced or refused), so what was checked or hashed would differ from what is
// stored. Both are refused before any use case sees them.

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const ILL_FORMED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a string, or undefined when it is well-formed text without NUL. */
export function textProblem(value: string): 'nul' | 'surrogate' | undefined {
  const m = ILL_FORMED.exec(value);
  if (!m) return undefined;
  return m[0] === '\u0000' ? 'nul' : 'surrogate';
}

export interface TextFinding {
  /** Where: `applicant.name`, `form.<key>`, `items[2]`, `query.caseNumber`, `param.id`. */
  field: string;
  problem: 'nul' | 'surrogate';
  /** True when the object key itself is ill-formed, not its value. */
  inKey: boolean;
}

/** A key shown in a field path: ill-formed characters escaped, so the message itself is well-formed text. */
export function printableKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what gets escaped
  return key.replace(/[\u0000-\u001f\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function join(path: string, key: string): string {
  if (/^\d+$/.test(key) && path !== '') return `${path}[${key}]`;
  const shown = printableKey(key);
  return path === '' ? shown : `${path}.${shown}`;
}

/**
 * The first ill-formed string or object key in a parsed value, walked iteratively (no recursion, so any depth is
 * safe). `root` prefixes every path (`query`, `param`), or '' for a body.
 */
export function findIllFormedText(value: unknown, root = ''): TextFinding | undefined {
  const stack: Array<{ path: string; value: unknown }> = [{ path: root, value }];
  while (stack.length > 0) {
    const { path, value: v } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { field: path === '' ? 'body' : path, problem, inKey: false };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ path: path === '' ? `[${i}]` : `${path}[${i}]`, value: v[i] as unknown });
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const childPath = join(path, key);
      const problem = textProblem(key);
      if (problem) return { field: childPath, problem, inKey: true };
      stack.push({ path: childPath, value: child });
    }
  }
  return undefined;
}

/** The sentence for a finding: names the field and says what to send instead. */
export function textFindingMessage(f: TextFinding): string {
  const what = f.problem === 'nul' ? 'a NUL character (U+0000)' : 'a lone UTF-16 surrogate (not a whole character)';
  const where = f.inKey ? `The field name at ${f.field}` : f.field;
  return `${where} contains ${what}; send well-formed Unicode text without control character NUL.`;
}

/** The details of an InvalidText refusal: the field, and the same `fields` list validation failures carry. */
export function textFindingDetails(f: TextFinding): { field: string; fields: Array<{ field: string; rule: string; message: string }> } {
  return { field: f.field, fields: [{ field: f.field, rule: f.problem === 'nul' ? 'noNul' : 'wellFormedUnicode', message: textFindingMessage(f) }] };
}
