import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { KitErrors } from './error-codes';
import { type EdgeRequest, UNPARSED_BODY } from './json-body';
import { findIllFormedText, textFindingDetails, textFindingMessage } from './text';

export const ACCEPTS_BODY = 'gov:acceptsBody';

/**
 * Lets a route take a body that is not JSON (e.g. `multipart/form-data` for uploads). The kit leaves such a body
 * unread for the route's own parser; every other route refuses it with 415.
 */
export const AcceptsBody = (...mediaTypes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCEPTS_BODY, mediaTypes.map((t) => t.toLowerCase()));

/**
 * The part of the request edge that needs routing: path parameters and query values are checked for NUL and lone
 * surrogates (400 naming `param.<name>` / `query.<name>`), and a body of a media type the route did not opt into
 * is refused with 415. Registered globally by `createServiceApp`.
 */
@Injectable()
export class EdgeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<EdgeRequest>();
    const finding = findIllFormedText(req.params, 'param') ?? findIllFormedText(req.query, 'query');
    if (finding) throw KitErrors.error('InvalidText', textFindingMessage(finding), textFindingDetails(finding));
    const unparsed = req[UNPARSED_BODY];
    if (unparsed !== undefined) {
      const accepted = this.reflector.getAllAndOverride<string[] | undefined>(ACCEPTS_BODY, [context.getHandler(), context.getClass()]) ?? [];
      if (!accepted.includes(unparsed)) {
        const sent = unparsed === '' ? 'no Content-Type' : `Content-Type ${JSON.stringify(unparsed.slice(0, 64))}`;
        throw KitErrors.error('UnsupportedMediaType', `The body was sent with ${sent}; send it as application/json.`, { accepted: ['application/json', ...accepted] });
      }
    }
    return true;
  }
}
