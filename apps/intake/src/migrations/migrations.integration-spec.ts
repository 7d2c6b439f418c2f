import { schemaDriftAfterMigrations } from '@gov/testing';
import { Application } from '../applications/application.entity';
import { Matter } from '../matters/matter.entity';
import { INTAKE_MIGRATIONS } from './index';

describe('intake migrations', () => {
  it('match the entities (an entity changed without a migration fails here)', async () => {
    expect(await schemaDriftAfterMigrations('intake_drift_check', INTAKE_MIGRATIONS, [Matter, Application])).toEqual([]);
  });
});
