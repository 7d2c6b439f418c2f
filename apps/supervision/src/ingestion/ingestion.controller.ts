import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EXCHANGE_BATCH_MAX, EXCHANGE_RECORD_KINDS, exchangeJsonSchemas } from '@gov/contracts';
import type { Response } from 'express';
import { SupervisionErrors } from '../errors';
import { type BatchResult, IngestionService } from './ingestion.service';

/** The batch's JSON Schema with the record schema inlined (OpenAPI has no `#/components/schemas/ExchangeRecord` of its own). */
function batchSchema(): Record<string, unknown> {
  const { ExchangeBatch, ExchangeRecord } = exchangeJsonSchemas() as Record<string, { properties: Record<string, object> }>;
  return { ...ExchangeBatch, properties: { ...ExchangeBatch.properties, records: { ...ExchangeBatch.properties['records'], items: ExchangeRecord } } };
}

@ApiTags('ingestion')
@Controller('ingestion')
export class IngestionController {
  constructor(private readonly ingestion: IngestionService) {}

  @Authenticated()
  @Get('format')
  @ApiOperation({ summary: 'The published exchange format (数据交换标准) as JSON Schema: record kinds and the batch' })
  format(): { kinds: readonly string[]; maxRecordsPerBatch: number; schemas: Record<string, unknown> } {
    return { kinds: EXCHANGE_RECORD_KINDS, maxRecordsPerBatch: EXCHANGE_BATCH_MAX, schemas: exchangeJsonSchemas() };
  }

  @Authenticated(Role.Service, Role.WindowClerk, Role.Handler, Role.SectionChief, Role.Leader, Role.Sysadmin)
  @Post('batches')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "A department's own approval system sends its records (daily or as they happen): validated line by line, refused whole with each bad line's reason, deduplicated by record id, and fed to the same clocks, lights, rules and statistics as native cases",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per batch; a retry with the same key returns the same result' })
  @ApiBody({ schema: batchSchema() })
  @ApiErrors(SupervisionErrors, 'IngestionBatchRefused')
  @ApiErrors(KitErrors, 'MalformedBody', 'BodyTooLarge', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'Unauthenticated', 'Forbidden')
  async batch(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<BatchResult> {
    const { result, replayed } = await this.ingestion.ingest(body, principal, requireIdempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}
