import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Application } from '../applications/application.entity';
import { DOCUMENT_TYPES, type DocumentType } from '@gov/storage';

/** received: uploaded, may still be removed; frozen: the application was accepted (seed 001 text 3 art. 11); removed. */
export const MATERIAL_STATES = ['received', 'frozen', 'removed'] as const;
export type MaterialState = (typeof MATERIAL_STATES)[number];

/** One file received for one material slot of an application (接件). The bytes are in the object store by hash. */
@Entity('application_materials')
@Index('application_materials_slot', ['applicationId', 'slotKey'])
@Index('application_materials_object', ['sha256'])
@Index('application_materials_once', ['applicationId', 'sha256'], { unique: true, where: `state <> 'removed'` })
@Check('application_materials_state_check', `state IN (${MATERIAL_STATES.map((s) => `'${s}'`).join(',')})`)
@Check('application_materials_type_check', `content_type IN (${DOCUMENT_TYPES.map((s) => `'${s}'`).join(',')})`)
@Check('application_materials_sha256_check', `sha256 ~ '^[0-9a-f]{64}$'`)
export class ApplicationMaterial {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'application_id' }) applicationId!: string;
  @ManyToOne(() => Application, { nullable: false })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'application_materials_application_fkey' })
  application?: Application;
  @Column('text', { name: 'slot_key' }) slotKey!: string;
  /** The slot's name as the matter version had it when the file was received. */
  @Column('text', { name: 'slot_name' }) slotName!: string;
  @Column('text') sha256!: string;
  @Column('int') size!: number;
  /** Pages, where the content tells (a PDF's page count); null when not known. */
  @Column('int', { nullable: true }) pages!: number | null;
  /** Detected from the bytes, never taken from the name or the declared type. */
  @Column('text', { name: 'content_type' }) contentType!: DocumentType;
  /** The name as sent, checked (no path, no control or bidi characters) and NFC-normalised: a label only. */
  @Column('text', { name: 'file_name' }) fileName!: string;
  @Column('text', { name: 'uploaded_by' }) uploadedBy!: string;
  @Column('text', { name: 'uploaded_by_name' }) uploadedByName!: string;
  @Column('timestamptz', { name: 'uploaded_at' }) uploadedAt!: Date;
  @Column('text') state!: MaterialState;
  @Column('timestamptz', { name: 'removed_at', nullable: true }) removedAt!: Date | null;
}
