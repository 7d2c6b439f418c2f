import { z } from 'zod';

/** Case numbers: <tenant>-<yyyymmdd>-<6+ digits>, e.g. 441200-20261122-000001. */
export const CaseNumber = z.string().regex(/^[0-9A-Z]{2,12}-\d{8}-\d{6,}$/, 'case number must look like 441200-20261122-000001');

/**
 * CloudEvents 1.0 structured envelope (JSON), with the platform's extension attributes: tenantid, traceid,
 * correlationid. `subject` is the case number (or, for engine events without a business key, the process id).
 */
export const CloudEventEnvelope = z.object({
  specversion: z.literal('1.0'),
  id: z.string().uuid(),
  source: z.string().min(1),
  type: z.string().regex(/^gov\.[a-z]+(\.[a-z-]+)+$/, 'type must be gov.<domain>.<entity>.<action>'),
  time: z.string().datetime({ offset: true }),
  subject: z.string().min(1).max(128),
  datacontenttype: z.literal('application/json').default('application/json'),
  tenantid: z.string().min(1).max(64).optional(),
  traceid: z.string().max(64).optional(),
  correlationid: z.string().max(128).optional(),
  data: z.unknown(),
});
export type CloudEvent<T = unknown> = Omit<z.infer<typeof CloudEventEnvelope>, 'data'> & { data: T };
