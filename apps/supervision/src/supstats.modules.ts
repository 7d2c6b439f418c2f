// Statistics, complaints, service ratings and ingestion (issue 10 §5, §6, §8): their modules and entities, listed
// once here so app.module.ts and entities.ts each take them with one line.
import { ComplaintEntity, ComplaintStageEntity } from './complaints/complaint.entity';
import { ComplaintsModule } from './complaints/complaints.module';
import { IngestedRecordEntity } from './ingestion/ingested-record.entity';
import { IngestionModule } from './ingestion/ingestion.module';
import { RatingCaseEntity, RatingEntity, RectificationEntity } from './ratings/rating.entity';
import { RatingsModule } from './ratings/ratings.module';
import { StatsCaseEntity } from './statistics/stats-case.entity';
import { StatsRollupEntity } from './statistics/stats-rollup.entity';
import { StatisticsModule } from './statistics/statistics.module';

export const SUPSTATS_MODULES = [StatisticsModule, ComplaintsModule, RatingsModule, IngestionModule];
export const SUPSTATS_ENTITIES = [StatsCaseEntity, StatsRollupEntity, ComplaintEntity, ComplaintStageEntity, RatingCaseEntity, RatingEntity, RectificationEntity, IngestedRecordEntity];
