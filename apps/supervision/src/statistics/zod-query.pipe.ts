import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { type SupervisionErrorCode, SupervisionErrors } from '../errors';

/**
 * Parses a whole query object with a schema (a repeated key arrives as an array and is refused); a bad value answers
 * 400 with the code, the field and what it must be.
 */
@Injectable()
export class ZodQueryPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly code: SupervisionErrorCode,
  ) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'query';
    throw SupervisionErrors.error(this.code, `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
}
