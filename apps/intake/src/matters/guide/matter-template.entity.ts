import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** A template file an officer uploaded for the guide; written once per name. */
@Entity('matter_templates')
@Check('matter_templates_size_check', 'size > 0')
export class MatterTemplate {
  @PrimaryColumn('text') file!: string;
  @Column('text', { name: 'content_type' }) contentType!: string;
  @Column('bytea') bytes!: Buffer;
  @Column('char', { length: 64 }) sha256!: string;
  @Column('int') size!: number;
  @Column('text', { name: 'uploaded_by' }) uploadedBy!: string;
  @Column('text', { name: 'uploaded_by_name' }) uploadedByName!: string;
  @Column('timestamptz', { name: 'uploaded_at' }) uploadedAt!: Date;
}
