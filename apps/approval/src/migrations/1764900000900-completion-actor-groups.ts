import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The completing officer's role:org groups on a pending completion, sent to the engine with it so the step's
 * completed event names who completed it (`actorGroups`, e-supervision's unauthorised-action rule); the reconciler
 * finishes a completion with the groups the request had. Null for rows recorded before this column.
 */
export class CompletionActorGroups1764900000900 implements MigrationInterface {
  name = 'CompletionActorGroups1764900000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pending_completions ADD COLUMN actor_groups jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pending_completions DROP COLUMN actor_groups`);
  }
}
