import { env } from '@gov/service-kit';
import { z } from 'zod';

/** Intake's configuration keys for materials, spread into `IntakeConfigSchema`. */
export const materialsConfigShape = {
  /** Where material files are kept: `local` (default, a directory) or `s3` (an S3-compatible store). */
  MATERIALS_STORE: z.enum(['local', 's3']).default('local'),
  /** Root of the local store (objects and staging); relative paths are resolved from the working directory. */
  MATERIALS_DIR: z.string().min(1).default('.stack/intake-materials'),
  MATERIALS_S3_ENDPOINT: z.string().url().optional(),
  MATERIALS_S3_BUCKET: z.string().min(3).max(63).optional(),
  MATERIALS_S3_REGION: z.string().min(1).default('us-east-1'),
  MATERIALS_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/)
    .default('materials/'),
  MATERIALS_S3_ACCESS_KEY_ID: z.string().optional(),
  MATERIALS_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** OFD (zip) inspection limits: entries, ratio of uncompressed to compressed bytes, uncompressed total. */
  MATERIALS_ZIP_MAX_ENTRIES: env.int(1000, 1),
  MATERIALS_ZIP_MAX_RATIO: env.int(100, 2),
  MATERIALS_ZIP_MAX_TOTAL_BYTES: env.int(256 * 1024 * 1024, 1024),
  /**
   * Page counting of PDFs and OFDs (a child process, as notice rendering): the longest a count may take before the
   * file is refused as unreadable, the heap the counting process may use (MiB), its niceness above the service's, and
   * how long it stays without work before it exits.
   */
  MATERIALS_PAGE_COUNT_TIMEOUT_MS: env.int(5_000, 100),
  MATERIALS_PAGE_COUNT_MAX_MEMORY_MB: env.int(256, 32),
  MATERIALS_PAGE_COUNT_NICE: env.int(10, 0),
  MATERIALS_PAGE_COUNT_IDLE_MS: env.int(30_000, 100),
  /** Files per material slot and per application. */
  MATERIALS_MAX_FILES_PER_SLOT: env.int(20, 1),
  MATERIALS_MAX_FILES_PER_APPLICATION: env.int(200, 1),
};

export const MATERIALS_SECRETS = ['MATERIALS_S3_SECRET_ACCESS_KEY'] as const;

type Shape = z.infer<z.ZodObject<typeof materialsConfigShape>>;

/** The S3 store needs its endpoint, bucket and keys; a half-configured store refuses to start. */
export function checkMaterialsConfig(c: Shape, ctx: z.RefinementCtx): void {
  if (c.MATERIALS_STORE !== 's3') return;
  for (const key of ['MATERIALS_S3_ENDPOINT', 'MATERIALS_S3_BUCKET', 'MATERIALS_S3_ACCESS_KEY_ID', 'MATERIALS_S3_SECRET_ACCESS_KEY'] as const) {
    if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when MATERIALS_STORE=s3` });
  }
}
