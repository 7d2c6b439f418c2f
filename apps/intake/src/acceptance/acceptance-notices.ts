import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { Application, MaterialEntry } from '../applications/application.entity';
import type { AcceptanceMatter } from '../applications/matter-lookup';
import { MaterialsService } from '../materials/materials.service';
import type { Material } from '../matters/matter-version';
import { NoticeIssuer } from '../notices/notice-issuer.service';
import { type NoticeInput, type NoticeKind, shanghaiDate } from '../notices/notice-kinds';
import { BureauRules } from './bureau-rules';

/** Who signs a notice no officer gave: an online receipt, a deemed acceptance, a lapsed correction. */
export const ONLINE_RECEIPT_OFFICER = '网上办事大厅（自动接件）';
export const NO_OFFICER = '系统自动（依法产生，无经办人）';

type NoticeMaterial = NoticeInput<'receipt'>['materials'][number];

export interface MaterialsOfOptions {
  /** The slots the application declared (default: the application's). */
  declared?: readonly MaterialEntry[];
  /** The slots owed under 容缺 (default: the application's). */
  deferred?: readonly MaterialEntry[];
  /** Whose files: a joint-window part lists the files received for its bundle (default: the application's own). */
  filesOf?: string;
}

const formOf = (slot: Material | undefined): 'original' | 'copy' => (slot?.form === 'copy' ? 'copy' : 'original');

/**
 * The notices of the acceptance regime (seed 001 text 3 art. 10-11, text 10), built from what each transition already
 * records: `record` them in the transition's transaction (a notice is part of the state change), `complete` them after
 * the commit (render, seal at identity, confirm). A notice identity could not seal stays `sealing`; the NoticeSealer
 * finishes it, so a transition never fails for identity being down.
 */
@Injectable()
export class AcceptanceNotices implements OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly issuer: NoticeIssuer,
    private readonly materials: MaterialsService,
    private readonly rules: BureauRules,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  record<K extends NoticeKind>(manager: EntityManager, kind: K, input: NoticeInput<K>): Promise<string> {
    return this.issuer.record(manager, kind, input);
  }

  /**
   * After the commit, without keeping the caller waiting (the 接件凭证 of every submission: a submission is not held up
   * by rendering and sealing). Shutdown waits for what is under way; the sealer picks up anything left.
   */
  completeSoon(ids: readonly string[]): void {
    const p: Promise<void> = this.complete(ids).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** After the commit: takes each recorded notice as far as it goes now; never throws (the sealer retries). */
  async complete(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      try {
        await this.issuer.complete(id);
      } catch (e) {
        this.logger.warn({ notice: id, err: e instanceof Error ? e.message : String(e) }, 'completing a notice failed; the sealer retries');
      }
    }
  }

  base(app: Application, matter: Pick<AcceptanceMatter, 'code' | 'name'>) {
    return {
      applicationId: app.id,
      caseNumber: app.caseNumber,
      applicant: { kind: app.applicantKind, id: app.applicantId, name: app.applicantName },
      matter: { code: matter.code, name: matter.name },
      departmentCode: app.departmentCode,
    };
  }

  /**
   * The 收件清单 of a receipt or acceptance notice: every file actually received (materials' receipt), one line each
   * with its slot and file name, in the order of the matter's slots; then each slot the application declared (or owes
   * under 容缺) with no file, marked not received (or deferred). Never the declared slots as if they were received.
   */
  async materialsOf(app: Application, matter: AcceptanceMatter, opts: MaterialsOfOptions = {}): Promise<NoticeMaterial[]> {
    const declared = opts.declared ?? app.materials;
    const deferred = opts.deferred ?? app.deferredMaterials;
    const receipt = await this.materials.receiptFor(opts.filesOf ?? app.id);
    const slots = receipt?.slots ?? [];
    const owed = new Set(deferred.map((m) => m.key));
    const lines: NoticeMaterial[] = [];
    for (const s of slots) {
      const form = s.form === 'copy' ? 'copy' : 'original';
      for (const f of s.files) lines.push({ name: s.name, fileName: f.fileName, form, copies: 1, ...(f.pages ? { pages: f.pages } : {}), status: 'received' });
      // A slot met by the applicant's licence (证照复用) is received as that licence.
      if (s.files.length === 0 && s.licenceNumber) lines.push({ name: s.name, fileName: `电子证照 ${s.licenceNumber}`, form, copies: 1, status: 'received' });
    }
    const withFiles = new Set(slots.filter((s) => s.files.length > 0 || s.licenceNumber).map((s) => s.key));
    const order = (key: string) => {
      const i = matter.materials.findIndex((m) => m.key === key);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const entries = [...declared, ...deferred.filter((d) => !declared.some((m) => m.key === d.key))].filter((m) => !withFiles.has(m.key));
    for (const m of entries.sort((a, b) => order(a.key) - order(b.key))) {
      lines.push({ name: m.name, form: formOf(matter.materials.find((s) => s.key === m.key)), copies: 0, status: owed.has(m.key) ? 'deferred' : 'not-received' });
    }
    return lines;
  }

  missingOf(matter: AcceptanceMatter, missing: readonly MaterialEntry[]) {
    return missing.map((m) => ({ material: m.name, form: formOf(matter.materials.find((s) => s.key === m.key)) }));
  }

  remediesOf(app: Application): { reviewBody: string; court: string } {
    const r = this.rules.of(app.tenantId);
    return { reviewBody: r.reviewBody, court: r.court };
  }

  /** YYYY-MM-DD in China Standard Time, as a notice prints it. */
  date(d: Date): string {
    return shanghaiDate(d);
  }
}
