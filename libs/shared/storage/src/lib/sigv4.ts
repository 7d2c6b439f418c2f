import { createHash, createHmac } from 'node:crypto';

// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
// header-based, as S3-compatible stores (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode) accept it.

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Request {
  method: string;
  /** Absolute URL; its path and query are signed. */
  url: URL;
  /** Headers to sign (names in any case); `host` is taken from the URL when absent. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the payload, or 'UNSIGNED-PAYLOAD'. */
  payloadHash: string;
}

export interface SigV4Scope {
  region: string;
  service: string;
  /** `YYYYMMDD'T'HHMMSS'Z'` */
  amzDate: string;
  /** S3 encodes each path segment once; other services encode the encoded path again. */
  doubleEncodePath?: boolean;
}

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding as SigV4 wants it: unreserved characters as they are, everything else %XX upper case. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function amzDateOf(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function canonicalPath(url: URL, doubleEncode: boolean): string {
  const segments = url.pathname.split('/').map((s) => uriEncode(decodeURIComponent(s)));
  const once = segments.join('/') || '/';
  return doubleEncode
    ? once
        .split('/')
        .map((s) => uriEncode(s))
        .join('/')
    : once;
}

function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams.entries()].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export interface SignedParts {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
  signedHeaders: string;
}

/** Computes the signature and the Authorization header of one request. Pure: the same input, the same output. */
export function signV4(request: SigV4Request, scope: SigV4Scope, credentials: SigV4Credentials): SignedParts {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value.trim().replace(/\s+/g, ' '));
  if (!headers.has('host')) headers.set('host', request.url.host);
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${headers.get(n) ?? ''}\n`).join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url, scope.doubleEncodePath ?? false),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  const day = scope.amzDate.slice(0, 8);
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', scope.amzDate, credentialScope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { canonicalRequest, stringToSign, signature, authorization, signedHeaders };
}
