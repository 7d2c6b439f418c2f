import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { type BeforeApplicationShutdown, Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SupervisionErrors } from '../errors';
import { AlertStreamRepository, type StreamAlert } from './alert-stream.repository';
import { parseLimit, parseSeq } from './stream-params';

const POLL_MS = 200;
const KEEPALIVE_MS = 15_000;

/** Who sees platform-wide alerts (dead letters, calendar warnings): the supervision office and administrators. */
function seesPlatformWide(p: Principal): boolean {
  return p.type === 'service' || p.roles.includes(Role.Supervisor) || p.roles.includes(Role.Sysadmin);
}

function parseLastEventId(raw: string | undefined): number | undefined {
  return parseSeq(raw, 'header.Last-Event-ID', undefined);
}

/**
 * The alert stream of the supervision office (issue 10 §7), filtered to the caller's jurisdiction: the organisations
 * in their token (identity expands a city to its counties and townships and a department to its sections).
 */
@ApiTags('supervision')
@Controller('alerts/stream')
export class AlertStreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();

  constructor(private readonly stream: AlertStreamRepository) {}

  @Get('entries')
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler)
  @ApiOperation({ summary: "The alert stream as a page (the same entries and filter as the SSE stream), oldest first" })
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiErrors(KitErrors, 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  entries(@CurrentPrincipal() principal: Principal, @Query('after') afterRaw: unknown, @Query('limit') limitRaw: unknown): Promise<StreamAlert[]> {
    const after = parseSeq(afterRaw, 'query.after', 0);
    const limit = parseLimit(limitRaw);
    return this.stream.after(after, { orgs: OrgScope.visibleOrgs(principal), platformWide: seesPlatformWide(principal) }, limit);
  }

  @Get()
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler)
  @ApiOperation({
    summary: 'Server-sent events: every alert in the caller\'s jurisdiction as it is raised (event id = stream seq). Reconnect with Last-Event-ID (or ?after=) to resume with nothing lost or doubled.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last alert received; the stream resumes after it' })
  @ApiQuery({ name: 'after', required: false, description: 'Start after this seq (0 = from the beginning); Last-Event-ID wins. Default: only new alerts.' })
  @ApiErrors(SupervisionErrors, 'NotEventStream')
  @ApiErrors(KitErrors, 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  async sse(
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Query('after') afterRaw: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const resumeAt = parseLastEventId(lastEventId) ?? parseSeq(afterRaw, 'query.after', undefined);
    // An open-ended stream only for a client that asks for one (EventSource sends this); others get a clear 406
    // pointing at the paged form instead of a response that never ends.
    if (!accept?.includes('text/event-stream')) {
      throw SupervisionErrors.error('NotEventStream', 'Accept: send Accept: text/event-stream for the live stream, or read GET /alerts/stream/entries?after=<seq> page by page', { field: 'Accept' });
    }
    let cursor = resumeAt ?? (await this.stream.lastSeq());
    const filter = { orgs: OrgScope.visibleOrgs(principal), platformWide: seesPlatformWide(principal) };
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 2000\n: stream from seq ${cursor}\n\n`);

    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let lastWrite = Date.now();
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      this.open.delete(close);
      res.end();
    };
    this.open.add(close);
    res.on('close', close);
    const tick = async (): Promise<void> => {
      try {
        for (;;) {
          const batch = await this.stream.after(cursor, filter, 200);
          for (const a of batch) {
            if (closed) return;
            res.write(`id: ${a.seq}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`);
            cursor = a.seq;
            lastWrite = Date.now();
          }
          if (batch.length < 200) break;
        }
        if (Date.now() - lastWrite > KEEPALIVE_MS) {
          res.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
      } catch {
        // a failed read (database restart) is retried on the next tick; the cursor has not moved
      }
      if (!closed) timer = setTimeout(() => void tick(), POLL_MS);
    };
    await tick();
  }

  /** Ends open streams before the HTTP server closes (clients reconnect with Last-Event-ID). */
  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }
}
