import { checkPostgresInit, stackModelFromSource } from './lib/postgres-init';
import { readRepoFile } from './lib/paths';

const model = stackModelFromSource(readRepoFile('tools/stack/components/postgres.ts'));
const sql = readRepoFile('docker/postgres-init.sql');

describe('docker/postgres-init.sql mirrors tools/stack/components/postgres.ts', () => {
  it('reads the stack tool\'s roles and databases', () => {
    expect(model.roles).toEqual(['gov_owner', 'gov_app', 'camunda']);
    expect([...model.databases.keys()]).toEqual(['identity', 'intake', 'approval', 'supervision', 'exchange', 'engine']);
    expect(model.databases.get('engine')).toEqual(['camunda', 'gov_app']);
  });

  it('creates the same roles, databases, owners and grants', () => {
    expect(checkPostgresInit(sql, model)).toEqual([]);
  });

  describe('negative', () => {
    it('a missing database, a wrong owner and a missing grant', () => {
      const broken = sql
        .replace('CREATE DATABASE exchange OWNER gov_owner;', '')
        .replace('CREATE DATABASE engine OWNER camunda;', 'CREATE DATABASE engine OWNER gov_owner;')
        .replace(/(\\connect intake\n[\s\S]*?)GRANT USAGE ON SCHEMA public TO gov_app;/, '$1');
      expect(checkPostgresInit(broken, model)).toEqual([
        'database intake: missing "GRANT USAGE ON SCHEMA public TO gov_app;"',
        'database exchange is not created with OWNER gov_owner',
        'database engine is not created with OWNER camunda',
      ]);
    });

    it('a literal password and a role without LOGIN', () => {
      const broken = sql.replace("CREATE ROLE camunda LOGIN PASSWORD :'camunda_password';", "CREATE ROLE camunda PASSWORD 'camunda';");
      expect(checkPostgresInit(broken, model)).toEqual(['role camunda is not created with LOGIN', 'a literal password in the init script (use \\getenv)']);
    });
  });
});
