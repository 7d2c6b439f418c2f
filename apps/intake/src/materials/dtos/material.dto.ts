import { DOCUMENT_TYPES, type DocumentType } from '@gov/storage';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MATERIAL_STATES, type ApplicationMaterial, type MaterialState } from '../material.entity';

/** One file received for a material slot. */
export class MaterialFileDto {
  @ApiProperty({ format: 'uuid' }) materialId!: string;
  @ApiProperty({ example: 'businessLicence' }) slotKey!: string;
  @ApiProperty({ example: '营业执照' }) slotName!: string;
  @ApiProperty({ example: '营业执照副本.pdf', description: 'The name as sent, checked and NFC-normalised; a label, never a path' }) fileName!: string;
  @ApiProperty({ enum: DOCUMENT_TYPES, description: 'Detected from the bytes' }) contentType!: DocumentType;
  @ApiProperty({ example: 48213 }) size!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 3, description: "Pages, where the content tells (a PDF's page count); null when not known" }) pages!: number | null;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes, lower-case hex' }) sha256!: string;
  @ApiProperty({ enum: MATERIAL_STATES }) state!: MaterialState;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty({ description: 'Who uploaded it: the applicant, or the window clerk registering for them' }) uploadedBy!: string;

  static of(m: ApplicationMaterial): MaterialFileDto {
    return {
      materialId: m.id,
      slotKey: m.slotKey,
      slotName: m.slotName,
      fileName: m.fileName,
      contentType: m.contentType,
      size: m.size,
      pages: m.pages,
      sha256: m.sha256,
      state: m.state,
      uploadedAt: m.uploadedAt.toISOString(),
      uploadedBy: m.uploadedByName,
    };
  }
}

/** A material slot of the application's matter version, with what was received for it. */
export class MaterialSlotReceiptDto {
  @ApiProperty({ example: 'businessLicence' }) key!: string;
  @ApiProperty({ example: '营业执照' }) name!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ description: 'May be missing at acceptance (容缺受理)' }) mayBeDeferred!: boolean;
  @ApiProperty({ enum: ['original', 'copy', 'originalAndCopy'] }) form!: string;
  @ApiProperty({ enum: DOCUMENT_TYPES, isArray: true }) contentTypes!: DocumentType[];
  @ApiProperty({ description: 'Largest accepted file, bytes' }) maxBytes!: number;
  @ApiProperty({ type: [MaterialFileDto] }) files!: MaterialFileDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The licence type this slot can be taken from (证照复用), if any' }) fromIssuedLicence!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The applicant's licence that stands in for this material instead of a file (the slot counts as received)" }) licenceNumber!: string | null;
}

/** The materials of an application: what the receipt (接件凭证) lists, with the hash of every file. */
export class MaterialsReceiptDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ example: '449900-20261122-000001' }) caseNumber!: string;
  @ApiProperty({ example: 'DEMO-SCJG-001' }) matterCode!: string;
  @ApiProperty({ example: 1 }) matterVersion!: number;
  @ApiProperty({ description: 'Frozen at acceptance: no replacement or addition (seed 001 text 3 art. 11)' }) frozen!: boolean;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) frozenAt!: string | null;
  @ApiProperty({ type: [MaterialSlotReceiptDto] }) slots!: MaterialSlotReceiptDto[];
  @ApiProperty({ type: [String], description: 'Keys of required slots with no file yet' }) missingRequired!: string[];
  @ApiProperty({ type: [String], description: 'Of those, the ones that may be missing at acceptance (容缺)' }) deferrable!: string[];
  @ApiProperty({
    type: [String],
    description: 'Slots still owed under a 容缺 commitment: a file uploaded to one is recorded, but the slot stays owed until the window confirms its delivery (POST /applications/{id}/deferred-materials)',
  })
  owed!: string[];
}
