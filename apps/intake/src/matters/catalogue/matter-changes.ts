import type { EntityManager } from 'typeorm';
import { matterChangesLedger } from './matter-change.entity';

export type MatterChangeAction = 'drafted' | 'revised' | 'submitted' | 'approved' | 'rejected' | 'filed' | 'published' | 'retired' | 'imported' | 'seeded';

export interface MatterChangeEntry {
  code: string;
  version: number;
  action: MatterChangeAction;
  actor: string;
  actorLabel: string;
  at: Date;
  details?: Record<string, unknown>;
}

/** Appends one step of the change procedure to the matter's chain; inside the caller's transaction. */
export async function recordMatterChange(manager: EntityManager, e: MatterChangeEntry): Promise<void> {
  await matterChangesLedger.append(manager, e.code, {
    at: e.at,
    code: e.code,
    version: e.version,
    action: e.action,
    actor: e.actor,
    actorLabel: e.actorLabel,
    details: e.details ?? {},
  });
}
