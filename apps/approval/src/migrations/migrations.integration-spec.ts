import { schemaDriftAfterMigrations } from '@gov/testing';
import { Case } from '../cases/case.entity';
import { APPROVAL_MIGRATIONS } from './index';

describe('approval migrations', () => {
  it('match the entities (an entity changed without a migration fails here)', async () => {
    expect(await schemaDriftAfterMigrations('approval_drift_check', APPROVAL_MIGRATIONS, [Case])).toEqual([]);
  });
});
