import { type Principal, actingSubject, actorLabel } from '@gov/auth';
import { runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../../errors';
import { DOCX_TYPE, PDF_TYPE } from './documents';
import { MatterTemplate } from './matter-template.entity';
import { TEMPLATE_FILE_PATTERN, type TemplateFile, templateFile } from './templates';

export const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;

/** What the bytes are, by content (magic bytes and, for a DOCX, the package's parts), never by the name. */
export function sniffTemplate(bytes: Buffer): typeof PDF_TYPE | typeof DOCX_TYPE | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return PDF_TYPE;
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
    try {
      // Names only: the filter declines every entry, so nothing is inflated (no archive bomb can expand here).
      const names: string[] = [];
      unzipSync(new Uint8Array(bytes), { filter: (f) => (names.push(f.name), false) });
      return names.includes('[Content_Types].xml') && names.includes('word/document.xml') ? DOCX_TYPE : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** The guide's template files: the built-in ones (templates.ts) and those officers uploaded, written once per name. */
@Injectable()
export class TemplateStore {
  constructor(private readonly ds: DataSource) {}

  async find(file: string): Promise<TemplateFile | null> {
    const builtIn = templateFile(file);
    if (builtIn) return builtIn;
    const row = await this.ds.getRepository(MatterTemplate).findOne({ where: { file } });
    return row ? { file: row.file, contentType: row.contentType, bytes: row.bytes } : null;
  }

  async upload(file: string, declaredType: string, bytes: Buffer, idempotencyKey: string, principal: Principal): Promise<{ result: { file: string; contentType: string; sha256: string; size: number; url: string }; replayed: boolean }> {
    if (!TEMPLATE_FILE_PATTERN.test(file)) {
      const message = 'param.file must be a template file name: lower-case letters, digits and dashes, ending .pdf or .docx.';
      throw IntakeErrors.error('InvalidTemplateName', message, { field: 'param.file', fields: [{ field: 'param.file', rule: 'templateFile', message }] });
    }
    const expected = file.endsWith('.pdf') ? PDF_TYPE : DOCX_TYPE;
    if (declaredType !== expected) throw IntakeErrors.error('TemplateContentMismatch', `${file} must be sent as ${expected}.`, { field: 'content-type', expected });
    const actual = sniffTemplate(bytes);
    if (actual !== expected) throw IntakeErrors.error('TemplateContentMismatch', `The content of ${file} is not a ${expected === PDF_TYPE ? 'PDF' : 'DOCX'} (checked by content, not by name).`, { field: 'body', expected, found: actual });
    if (templateFile(file)) throw IntakeErrors.error('TemplateExists', `${file} is a built-in template; upload under another name.`, { field: 'param.file' });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return runIdempotent(this.ds, `catalogue-templates:${principal.subject}`, idempotencyKey, { file, sha256 }, async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(MatterTemplate)
        .values({ file, contentType: expected, bytes, sha256, size: bytes.length, uploadedBy: actingSubject(principal), uploadedByName: actorLabel(principal), uploadedAt: new Date() })
        .orIgnore()
        .returning(['file'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) throw IntakeErrors.error('TemplateExists', `${file} exists already; a template is written once: upload new content under a new name and take it up in a new version of the matter.`, { field: 'param.file' });
      return { file, contentType: expected, sha256, size: bytes.length, url: `/guide/templates/${file}` };
    });
  }
}
