// Migrations of statistics, complaints, ratings and ingestion (timestamps 1764700000700-799).
import { Statistics1764700000700 } from './1764700000700-statistics';
import { Complaints1764700000701 } from './1764700000701-complaints';
import { Ratings1764700000702 } from './1764700000702-ratings';
import { Ingestion1764700000703 } from './1764700000703-ingestion';

export const SUPSTATS_MIGRATIONS = [Statistics1764700000700, Complaints1764700000701, Ratings1764700000702, Ingestion1764700000703];
