import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

export interface K8sMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Kubernetes object as parsed from YAML; the rest of its fields are read through the typed views in k8s-types.ts. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: K8sMetadata;
  [field: string]: unknown;
}

/** Parses a multi-document YAML text; throws on a syntax error (naming the source) and skips empty documents. */
export function parseDocuments(text: string, source: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function parseYamlFile(path: string): unknown {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as unknown;
}

export function isK8sObject(value: unknown): value is K8sObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const meta = o['metadata'] as Record<string, unknown> | undefined;
  return typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string' && typeof meta?.['name'] === 'string';
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
