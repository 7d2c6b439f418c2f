// Writes libs/shared/contracts/asyncapi.json from the schemas in the contracts lib. The contracts tests fail
// when the committed document differs from what this produces.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument } from '@gov/contracts';

const target = join(__dirname, '..', 'libs/shared/contracts/asyncapi.json');
writeFileSync(target, JSON.stringify(buildAsyncApiDocument(), null, 2) + '\n');
console.log(`wrote ${target}`);
