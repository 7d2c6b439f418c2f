import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { IntakeErrors } from '../../errors';
import { formProblem } from './form.validator';

/**
 * Checks the raw `form` of a body before the validation pipe turns it into a DTO. class-transformer walks free-form
 * objects key by key (dropping keys named like Object.prototype members, throwing on a nested `constructor`) and the
 * pipe deletes `__proto__`/`prototype`/`constructor` keys, so such a form would be stored changed or answer 500. Interceptors run after the guards and before the pipes.
 */
@Injectable()
export class FormBoundsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.prototype.hasOwnProperty.call(body, 'form')) {
      const problem = formProblem((body as { form: unknown }).form);
      if (problem) throw IntakeErrors.error('ValidationFailed', problem.message, { fields: [{ field: problem.field, rule: 'isBoundedForm', message: problem.message }] });
    }
    return next.handle();
  }
}
