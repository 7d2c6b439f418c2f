import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { AppError } from './app-error';
import { AllErrorsFilter } from './error.filter';

function respond(exception: unknown): { status: number; body: { statusCode: number; error: string; message: string; details?: unknown } } {
  const out: { status: number; body: { statusCode: number; error: string; message: string; details?: unknown } } = { status: 0, body: { statusCode: 0, error: '', message: '' } };
  const res = {
    headersSent: false,
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: typeof out.body) {
      out.body = body;
    },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllErrorsFilter(pino({ level: 'silent' })).catch(exception, host);
  return out;
}

describe('AllErrorsFilter', () => {
  it('maps an AppError to its status, code and message', () => {
    const r = respond(AppError.conflict('StepChanged', 'Reload the worklist.'));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'StepChanged', message: 'Reload the worklist.' });
  });

  it('joins validation messages into one sentence a person can act on', () => {
    const r = respond(new BadRequestException({ message: ['a must be set', 'b must be a number'], error: 'Bad Request' }));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('a must be set; b must be a number');
  });

  it('reports body-parser errors as 4xx, never 500', () => {
    expect(respond(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 })).status).toBe(400);
    expect(respond(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 })).status).toBe(413);
  });

  it('reports a body-parser or zlib error of any other kind as 400, never 500', () => {
    expect(respond(Object.assign(new Error('x'), { type: 'stream.encoding.set', status: 500 })).status).toBe(400);
    expect(respond(Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR', errno: -3 })).body).toMatchObject({ statusCode: 400, error: 'MalformedBody' });
  });

  it('reports a URL that is not valid percent-encoded UTF-8 as 400', () => {
    expect(respond(new URIError('Failed to decode param')).status).toBe(400);
  });

  it('unwraps a TypeORM QueryFailedError: a unique violation is 409 naming the field', () => {
    // given
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505', severity: 'ERROR', detail: 'Key (document_code)=(abc) already exists.' });
    // when
    const r = respond(new QueryFailedError('INSERT', [], driverError));
    // then
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'Conflict', details: { fields: ['document_code'] } });
    expect(r.body.message).toContain('document_code');
    expect(r.body.message).not.toContain('abc');
  });

  it('keeps a database error not caused by the input a 500', () => {
    const driverError = Object.assign(new Error('deadlock detected'), { code: '40P01', severity: 'ERROR' });
    expect(respond(new QueryFailedError('UPDATE', [], driverError)).status).toBe(500);
  });

  it('hides the internals of unexpected errors behind a 500', () => {
    const r = respond(new Error('password=hunter2 in a stack trace'));
    expect(r.status).toBe(500);
    expect(r.body.message).not.toContain('hunter2');
  });
});
