import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An engine incident approval reported (`gov.approval.incident.raised`), once per incident id in this database; set
 * resolved when the engine no longer has it open (`gov.approval.incident.resolved`). See migration 1764900000700.
 */
@Entity('engine_incidents')
@Index('engine_incidents_open', ['detectedAt'], { where: 'resolved_at IS NULL' })
export class EngineIncident {
  @PrimaryColumn('text', { name: 'incident_id' }) incidentId!: string;
  @Column('text', { name: 'incident_type' }) incidentType!: string;
  @Column('text', { name: 'activity_id', nullable: true }) activityId!: string | null;
  @Column('text', { name: 'process_instance_id', nullable: true }) processInstanceId!: string | null;
  @Column('text', { name: 'process_definition_id', nullable: true }) processDefinitionId!: string | null;
  /** The process instance's business key (the case number of the platform's flows). */
  @Column('text', { name: 'case_number', nullable: true }) caseNumber!: string | null;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  /** The incident message, truncated to 1000 characters. */
  @Column('text', { nullable: true }) message!: string | null;
  @Column('timestamptz', { name: 'incident_at' }) incidentAt!: Date;
  @Column('timestamptz', { name: 'detected_at' }) detectedAt!: Date;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  /** resolved (the engine's history says so) or deleted (with its instance, or gone from the history). */
  @Column('text', { nullable: true }) resolution!: 'resolved' | 'deleted' | null;
}
