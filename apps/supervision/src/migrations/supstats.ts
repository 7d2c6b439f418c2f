// Migrations of statistics, complaints, ratings and ingestion (timestamps 1764700000700-799).
import { Statistics1764700000700 } from './1764700000700-statistics';

export const SUPSTATS_MIGRATIONS = [Statistics1764700000700];
