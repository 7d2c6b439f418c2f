import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import pino from 'pino';
import { AppError } from './app-error';
import { AllErrorsFilter } from './error.filter';

function respond(exception: unknown): { status: number; body: { statusCode: number; error: string; message: string } } {
  const out = { status: 0, body: { statusCode: 0, error: '', message: '' } };
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

  it('hides the internals of unexpected errors behind a 500', () => {
    const r = respond(new Error('password=hunter2 in a stack trace'));
    expect(r.status).toBe(500);
    expect(r.body.message).not.toContain('hunter2');
  });
});
