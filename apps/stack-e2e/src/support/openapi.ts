import { STACK } from '@gov/testing';

// Reads the services' own OpenAPI documents, so that an endpoint added tomorrow is covered by the hostile suites
// without anyone editing them.

export const SERVICES = { identity: STACK.identity, intake: STACK.intake, approval: STACK.approval, supervision: STACK.supervision } as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  service: ServiceName;
  base: string;
  method: string;
  /** The OpenAPI path template, e.g. /users/{id}/roles. */
  path: string;
  /** "identity POST /users/{id}/roles" */
  id: string;
  parameters: Parameter[];
  /** The JSON body schema with every $ref resolved, when the operation takes a body. */
  body?: Schema;
  bodyRequired: boolean;
  /** The operation declares a security requirement (the services mark every guarded route with bearer). */
  guarded: boolean;
  tags: string[];
}

interface Document {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }; security?: unknown[]; tags?: string[] }>>;
  components?: { schemas?: Record<string, Schema> };
  security?: unknown[];
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of every service, in document order. Fails loudly when a document cannot be read. */
export async function loadOperations(): Promise<Operation[]> {
  const all: Operation[] = [];
  for (const service of SERVICE_NAMES) {
    const base = SERVICES[service];
    const res = await fetchOnce(`${base}/docs-json`);
    if (res.status !== 200) throw new Error(`${service}: GET /docs-json answered ${res.status}; the suites are driven by it`);
    const doc = (await res.json()) as Document;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const json = op.requestBody?.content?.['application/json']?.schema;
        const security = op.security ?? doc.security ?? [];
        all.push({
          service,
          base,
          method: method.toUpperCase(),
          path,
          id: `${service} ${method.toUpperCase()} ${path}`,
          parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: p.schema ? resolve(p.schema, doc) : undefined })),
          body: json ? resolve(json, doc) : undefined,
          bodyRequired: op.requestBody?.required ?? false,
          guarded: security.length > 0,
          tags: op.tags ?? [],
        });
      }
    }
  }
  return all;
}

function resolve(schema: Schema, doc: Document, depth = 0): Schema {
  if (depth > 8) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    return target ? resolve(target, doc, depth + 1) : {};
  }
  const out: Schema = { ...schema };
  if (schema.allOf) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf.map((s) => resolve(s, doc, depth + 1))) {
      Object.assign(merged.properties as Record<string, Schema>, part.properties ?? {});
      merged.required = [...(merged.required ?? []), ...(part.required ?? [])];
      if (part.type && part.type !== 'object') merged.type = part.type;
    }
    return merged;
  }
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)]));
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  return out;
}

/** The operation's URL with its path parameters filled in (values are inserted as given: encode them yourself). */
export function urlOf(op: Operation, pathValues: Record<string, string>, query = ''): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => pathValues[name] ?? 'x');
  return `${op.base}${path}${query ? `?${query}` : ''}`;
}

export function pathParams(op: Operation): Parameter[] {
  return op.parameters.filter((p) => p.in === 'path');
}

export function queryParams(op: Operation): Parameter[] {
  return op.parameters.filter((p) => p.in === 'query');
}

/** The name of the operation's idempotency-key header, when it declares one. */
export function idempotencyHeader(op: Operation): string | undefined {
  return op.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')?.name;
}

/**
 * fetch, sent again once when the pooled keep-alive connection it went out on turned out closed by the server (a
 * previous suite's idle connection: "other side closed"), which says nothing about the service.
 */
async function fetchOnce(url: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code !== 'UND_ERR_SOCKET' && !/other side closed|ECONNRESET/.test(cause?.message ?? '')) throw e;
    return fetch(url, { headers: { connection: 'close' } });
  }
}
