// docker/postgres-init.sql must create what tools/stack/components/postgres.ts creates: the roles, one database per
// service owned by gov_owner, the engine database owned by camunda, and in each the same schema grants.
export interface StackDatabaseModel {
  roles: string[];
  /** database -> [owner, application role] */
  databases: Map<string, [string, string]>;
}

/** Reads roles and databases from the stack component's source text. */
export function stackModelFromSource(postgresTs: string): StackDatabaseModel {
  const roles = /for \(const role of \[([^\]]*)\]\)/.exec(postgresTs);
  const services = /SERVICE_DATABASES\s*=\s*\[([^\]]*)\]/.exec(postgresTs);
  if (!roles || !services) throw new Error('postgres.ts: roles loop or SERVICE_DATABASES not found');
  const list = (s: string) => [...s.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const databases = new Map<string, [string, string]>();
  for (const db of list(services[1])) databases.set(db, ['gov_owner', 'gov_app']);
  for (const m of postgresTs.matchAll(/ensureDatabase\('([a-z_]+)',\s*'([a-z_]+)',\s*'([a-z_]+)'\)/g)) databases.set(m[1], [m[2], m[3]]);
  return { roles: list(roles[1]), databases };
}

function norm(sql: string): string {
  return sql.replace(/--.*$/gm, '').replace(/\s+/g, ' ');
}

export function checkPostgresInit(sql: string, model: StackDatabaseModel): string[] {
  const problems: string[] = [];
  const text = norm(sql);
  for (const role of model.roles) {
    if (!new RegExp(`CREATE ROLE ${role} LOGIN\\b`).test(text)) problems.push(`role ${role} is not created with LOGIN`);
  }
  const created = [...text.matchAll(/CREATE DATABASE (\w+)/g)].map((m) => m[1]);
  for (const db of created) if (!model.databases.has(db)) problems.push(`database ${db} is not one the stack tool creates`);
  const blocks = text.split(/\\connect /).slice(1);
  for (const [db, [owner, app]] of model.databases) {
    if (!text.includes(`CREATE DATABASE ${db} OWNER ${owner};`)) problems.push(`database ${db} is not created with OWNER ${owner}`);
    const block = blocks.find((b) => b.startsWith(`${db} `));
    if (!block) {
      problems.push(`no \\connect ${db} block with its grants`);
      continue;
    }
    const expected = [
      'REVOKE CREATE ON SCHEMA public FROM PUBLIC;',
      `GRANT ALL ON SCHEMA public TO ${owner};`,
      `GRANT CONNECT ON DATABASE ${db} TO ${app};`,
      `GRANT USAGE ON SCHEMA public TO ${app};`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app};`,
    ];
    for (const e of expected) if (!block.includes(e)) problems.push(`database ${db}: missing "${e}"`);
  }
  if (/PASSWORD '[^']/.test(text)) problems.push('a literal password in the init script (use \\getenv)');
  return problems;
}
