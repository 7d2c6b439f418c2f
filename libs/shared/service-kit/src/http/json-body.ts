import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RequestContext } from '../logging/context';
import { KitErrors } from './error-codes';
import { findIllFormedText, textFindingDetails, textFindingMessage } from './text';

export interface BodyLimits {
  /** Largest accepted body in bytes (as sent; bodies are never inflated). */
  maxBytes: number;
  /** Deepest accepted nesting of objects and arrays. */
  maxDepth: number;
}

/** Set on a request whose body was not parsed because it is not JSON: the media type as sent ('' when none). */
export const UNPARSED_BODY = Symbol('gov:unparsedBody');
export type EdgeRequest = Request & { [UNPARSED_BODY]?: string; _body?: boolean };

/** A body larger than this many times the limit is not drained; the connection is closed after the 413. */
const DRAIN_FACTOR = 8;

/** True when the request carries a body (as type-is `hasBody`: a Transfer-Encoding, or a non-zero Content-Length). */
export function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/** The media type of a Content-Type header, lower case, without parameters ('' when absent). */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * How deep objects and arrays nest in JSON text, scanned without recursion and without parsing. Returns the first
 * depth that exceeds `max`, or undefined when the text stays within it. Brackets inside strings do not count.
 */
export function exceedsDepth(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) return depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: Error };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns the bytes of a JSON body into a value, refusing before any recursive work: bytes that are not UTF-8, nesting
 * deeper than the limit, text that is not JSON or whose top level is not an object or array, and any string or key
 * with NUL or a lone surrogate (the error names the field).
 */
export function parseJsonBody(bytes: Buffer, maxDepth: number): ParsedBody {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { ok: false, error: KitErrors.error('MalformedBody', 'The request body is not valid UTF-8; send JSON encoded as UTF-8.') };
  }
  if (text.trim() === '') return { ok: true, value: {} };
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') {
    return { ok: false, error: KitErrors.error('MalformedBody', 'The request body must be a JSON object or array.') };
  }
  if (exceedsDepth(text, maxDepth) !== undefined) {
    return {
      ok: false,
      error: KitErrors.error('NestingTooDeep', `The request body nests objects and arrays deeper than ${maxDepth} levels; flatten it.`, { maxDepth }),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: KitErrors.error('MalformedBody', 'The request body is not valid JSON.') };
  }
  const finding = findIllFormedText(value);
  if (finding) return { ok: false, error: KitErrors.error('InvalidText', textFindingMessage(finding), textFindingDetails(finding)) };
  const reserved = findReservedKey(value);
  if (reserved) {
    const message = `${reserved} is a reserved name (an Object.prototype member or \`prototype\`), not a field of any request; remove it.`;
    return { ok: false, error: KitErrors.error('ValidationFailed', message, { field: reserved, fields: [{ field: reserved, rule: 'notReservedName', message }] }) };
  }
  return { ok: true, value };
}

/**
 * A key named like an Object.prototype member (`__proto__`, `constructor`, `toString`, ...) or `prototype`: the
 * layers after the edge drop such a key silently (the validation pipe deletes `__proto__`, `constructor` and
 * `prototype`; class-transformer skips prototype member names) or choke on it, so a request holding one would be
 * handled as if it said something else. Refused at the edge, for every service and operation.
 */
export function isReservedKey(key: string): boolean {
  return key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

/** The path of the first reserved key anywhere in a parsed body (iterative; the depth is already bounded). */
export function findReservedKey(value: unknown): string | undefined {
  const stack: Array<{ path: string; value: unknown }> = [{ path: '', value }];
  while (stack.length > 0) {
    const { path, value: v } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ path: `${path}[${i}]`, value: v[i] as unknown });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const here = path === '' ? keys[i] : `${path}.${keys[i]}`;
      if (isReservedKey(keys[i])) return here;
      stack.push({ path: here, value: (v as Record<string, unknown>)[keys[i]] });
    }
  }
  return undefined;
}

/**
 * The kit's body parser (Nest's own is switched off): JSON only, identity Content-Encoding only (a compressed body is
 * refused with 415 rather than inflated, so no zip bomb and no inflate error can reach a handler), a byte limit
 * checked on the declared length and while reading, and `parseJsonBody`. A body of another media type is left
 * unread and marked, and the edge guard refuses it with 415 unless the route opted in with `@AcceptsBody(...)`.
 */
export function jsonBodyMiddleware(limits: BodyLimits): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const r = req as EdgeRequest;
    if (r._body || !hasBody(req)) {
      next();
      return;
    }
    const ctx = RequestContext.current();
    const proceed = (err?: unknown) => (ctx ? RequestContext.run(ctx, () => next(err)) : next(err));
    const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      refuseUnread(req, res, limits);
      proceed(KitErrors.error('UnsupportedEncoding', `Content-Encoding ${JSON.stringify(encoding.slice(0, 32))} is not accepted; send the body uncompressed (identity).`));
      return;
    }
    const type = mediaTypeOf(req.headers['content-type']);
    if (!isJsonMediaType(type)) {
      r[UNPARSED_BODY] = type;
      next();
      return;
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      refuseUnread(req, res, limits);
      proceed(KitErrors.error('UnsupportedEncoding', 'Send the body as UTF-8 JSON (charset=utf-8).'));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      refuseUnread(req, res, limits);
      proceed(tooLarge(limits));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let over = false;
    let finished = false;
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      proceed(err);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (over) {
        if (received > limits.maxBytes * DRAIN_FACTOR) {
          closeAfterResponse(req, res);
          finish(tooLarge(limits));
        }
        return;
      }
      if (received > limits.maxBytes) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (over) {
        finish(tooLarge(limits));
        return;
      }
      const parsed = parseJsonBody(Buffer.concat(chunks, received), limits.maxDepth);
      if (!parsed.ok) {
        finish(parsed.error);
        return;
      }
      r.body = parsed.value;
      r._body = true;
      finish();
    };
    const onError = () => {
      finish(KitErrors.error('MalformedBody', 'The request body could not be read to its end.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  };
}

function tooLarge(limits: BodyLimits) {
  return KitErrors.error('BodyTooLarge', `The request body is larger than ${limits.maxBytes} bytes; send large files by reference or hash.`, { maxBytes: limits.maxBytes });
}

/** A refused body is drained (so the client reads the answer) when it is small enough, else the connection closes. */
function refuseUnread(req: Request, res: Response, limits: BodyLimits): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared <= limits.maxBytes * DRAIN_FACTOR) {
    req.resume();
    return;
  }
  closeAfterResponse(req, res);
}

function closeAfterResponse(req: Request, res: Response): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroySoon());
  req.pause();
}
