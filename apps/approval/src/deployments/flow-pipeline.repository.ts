import { Ledger } from '@gov/ledger';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FlowSubmission } from './flow-submission.entity';

export type PipelineAction = 'submitted' | 'approved' | 'rejected' | 'filed' | 'deployed' | 'migration-dry-run' | 'migrated';

export interface PipelineRecord {
  submissionId: string;
  action: PipelineAction;
  actorId: string;
  actorName: string;
  tenantId: string;
  processKey: string;
  bpmnSha256: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** Every step of the pipeline, one hash chain per submission (seed 004 art. 14: flow changes approved and filed). */
export const pipelineLedger = new Ledger<keyof PipelineRecord>({
  ledger: 'approval.flow-pipeline',
  table: 'flow_pipeline_log',
  rowIdColumn: 'id',
  fields: {
    submissionId: { column: 'submission_id', type: 'text' },
    action: { column: 'action', type: 'text' },
    actorId: { column: 'actor_id', type: 'text' },
    actorName: { column: 'actor_name', type: 'text' },
    tenantId: { column: 'tenant_id', type: 'text' },
    processKey: { column: 'process_key', type: 'text' },
    bpmnSha256: { column: 'bpmn_sha256', type: 'text' },
    details: { column: 'details', type: 'jsonb' },
    createdAt: { column: 'created_at', type: 'timestamptz' },
  },
});

export interface LoggedStep {
  action: PipelineAction;
  actorId: string;
  actorName: string;
  details: Record<string, unknown>;
  createdAt: string;
  hash: string;
}

@Injectable()
export class FlowPipelineRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  find(id: string, manager: EntityManager = this.ds.manager): Promise<FlowSubmission | null> {
    return manager.findOne(FlowSubmission, { where: { id } });
  }

  async insert(manager: EntityManager, s: FlowSubmission): Promise<void> {
    await manager.query(
      `INSERT INTO flow_submissions (id, tenant_id, process_key, file_name, bpmn_xml, bpmn_sha256, status, check_report, submitted_by, submitted_at, row_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
      [s.id, s.tenantId, s.processKey, s.fileName, s.bpmnXml, s.bpmnSha256, s.status, JSON.stringify(s.checkReport), s.submittedBy, s.submittedAt],
    );
  }

  /** Moves a submission from one status to the next; false when someone else moved it first. */
  async transition(manager: EntityManager, id: string, from: FlowSubmission['status'], changes: Partial<FlowSubmission>): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(FlowSubmission)
      .set({ ...changes })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async log(manager: EntityManager, r: PipelineRecord): Promise<void> {
    await pipelineLedger.append(manager, r.submissionId, { ...r });
  }

  async history(id: string): Promise<LoggedStep[]> {
    const rows = await this.ds.query<{ action: PipelineAction; actor_id: string; actor_name: string; details: Record<string, unknown>; created_at: Date; hash: string }[]>(
      `SELECT action, actor_id, actor_name, details, created_at, hash FROM flow_pipeline_log WHERE chain_partition = $1 ORDER BY chain_seq`,
      [id],
    );
    return rows.map((r) => ({ action: r.action, actorId: r.actor_id, actorName: r.actor_name, details: r.details, createdAt: new Date(r.created_at).toISOString(), hash: r.hash }));
  }

  /** Whether a dry run of this source → target migration was reported for the submission. */
  async hasDryRun(id: string, sourceProcessDefinitionId: string): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `SELECT 1 FROM flow_pipeline_log WHERE chain_partition = $1 AND action = 'migration-dry-run' AND details->>'sourceProcessDefinitionId' = $2 LIMIT 1`,
      [id, sourceProcessDefinitionId],
    );
    return rows.length > 0;
  }

  async verify(): Promise<boolean> {
    const verdict = await pipelineLedger.verify(this.ds);
    return verdict.ok;
  }
}
