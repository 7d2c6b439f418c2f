import type { Request } from 'express';

/**
 * Reads a body the kit left unread (a non-JSON media type the route accepts with `@AcceptsBody`), up to a byte limit;
 * past it the rest is drained and `tooLarge(maxBytes)` is the refusal.
 */
export function readRaw(req: Request, maxBytes: number, tooLarge: (maxBytes: number) => Error): Promise<Buffer> {
  // A body the kit's JSON parser already read (a JSON request to a route that takes files) will send no more data:
  // waiting for it would hang the request until the client gives up.
  if (req.readableEnded || (req as Request & { _body?: boolean })._body) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > maxBytes) {
        done = true;
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
    });
  });
}
