import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { createHash } from 'node:crypto';
import { OrgScope, type Principal, actingSubject, actorLabel } from '@gov/auth';
import { LOGGER, runIdempotent } from '@gov/service-kit';
import { type ObjectStore, ObjectTooLargeError, type ZipLimits, detectContentType, checkFileName, labelOf } from '@gov/storage';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { ApplicationRef } from '../applications/application-ref';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { IntakeErrors } from '../errors';
import { LicencesRepository } from '../licences/licences.repository';
import { LicencesService } from '../licences/licences.service';
import { MatterCatalogue } from '../matters/catalogue/matter-catalogue';
import type { Material } from '../matters/matter-version';
import { MaterialFileDto, type MaterialsReceiptDto } from './dtos/material.dto';
import type { ApplicationMaterial } from './material.entity';
import { type MaterialsApplication, MaterialsRepository } from './materials.repository';
import { OBJECT_STORE } from './object-store.provider';
import { PageCounter } from './pages/page-counter';

/** Where an upload goes, checked before a byte of the body is read. */
export interface UploadTarget {
  application: MaterialsApplication;
  slot: Material;
  fileName: string;
}

const IDEMPOTENCY_SCOPE = 'intake.materials.upload';
/** Applications that ended before or without a decision take no more materials (a decided one is frozen). */
const CLOSED: readonly string[] = ['refused', 'withdrawn', 'terminated'];
const STAGING_GRACE_MS = 3600_000;

/**
 * Materials of applications (申请材料): uploads per slot of the matter version the application is under, checked by
 * content (magic bytes; OFD only as a sound zip), limited per slot while streaming, hashed (SHA-256) and stored by
 * hash; the receipt's list; downloads; and the freeze at acceptance (seed 001 text 3 art. 11: "申请一经受理，其报件
 * 材料不得再行补正、替换"). Acceptance calls `freeze` in its accepting transaction; nothing else couples the two.
 */
@Injectable()
export class MaterialsService implements OnApplicationBootstrap {
  private readonly zipLimits: ZipLimits;

  constructor(
    private readonly ds: DataSource,
    private readonly materials: MaterialsRepository,
    private readonly catalogue: MatterCatalogue,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly licences: LicencesRepository,
    private readonly licenceLookup: LicencesService,
    private readonly pageCounter: PageCounter,
  ) {
    this.zipLimits = {
      maxEntries: config.MATERIALS_ZIP_MAX_ENTRIES,
      maxRatio: config.MATERIALS_ZIP_MAX_RATIO,
      maxTotalUncompressed: config.MATERIALS_ZIP_MAX_TOTAL_BYTES,
    };
  }

  private async pagesOf(path: string, type: 'application/pdf' | 'application/ofd', slot: Material): Promise<number> {
    const count = await this.pageCounter.count({ path, type });
    if (count.ok) return count.pages;
    this.logger.info({ slotKey: slot.key, type, reason: count.reason, detail: count.message }, 'materials: refused a file whose pages could not be counted');
    const what = labelOf(type);
    throw IntakeErrors.error(
      'MaterialUnreadable',
      `The file is ${what} whose pages could not be counted: ${count.message}. Open it and save it again (另存为 or 打印为 ${type === 'application/pdf' ? 'PDF' : 'OFD'}), then upload the new file.`,
      { slotKey: slot.key, found: type, reason: count.reason },
    );
  }

  /** Staging files older than an hour were left by a process that died mid-upload (no upload runs that long). */
  async onApplicationBootstrap(): Promise<void> {
    const removed = await this.store.sweepStaging(STAGING_GRACE_MS).catch((e: unknown) => {
      this.logger.warn({ err: e }, 'materials: could not sweep the staging area');
      return 0;
    });
    if (removed > 0) this.logger.info({ removed }, 'materials: removed abandoned staging files');
  }

  /** The application the caller may see, or 404 / 403. */
  async applicationFor(ref: ApplicationRef, principal: Principal): Promise<MaterialsApplication> {
    const application = await this.materials.findApplication(ref);
    if (!application) throw IntakeErrors.error('ApplicationNotFound', `No application ${ref.by === 'id' ? ref.id : ref.caseNumber}.`);
    OrgScope.assertCanActOn(principal, { orgCode: application.departmentCode, applicantId: application.applicantId });
    return application;
  }

  private async slotsOf(application: MaterialsApplication): Promise<Material[]> {
    const version = await this.catalogue.version(application.matterCode, application.matterVersion);
    return version?.elements.materials ?? [];
  }

  /** Everything that can be refused without reading the body: access, slot, file name, freeze, declared length. */
  async prepareUpload(
    ref: ApplicationRef,
    slotKey: string,
    rawFileName: string | undefined,
    declaredLength: number | undefined,
    principal: Principal,
  ): Promise<UploadTarget> {
    const application = await this.applicationFor(ref, principal);
    const slots = await this.slotsOf(application);
    const slot = slots.find((s) => s.key === slotKey);
    if (!slot) {
      throw IntakeErrors.error(
        'MaterialSlotNotFound',
        `The matter ${application.matterCode} (version ${application.matterVersion}) has no material slot ${JSON.stringify(slotKey.slice(0, 64))}; its slots are: ${slots.map((s) => s.key).join(', ') || 'none'}.`,
        {
          field: 'param.slotKey',
          slots: slots.map((s) => s.key),
        },
      );
    }
    const fileName = this.checkedFileName(rawFileName, slot);
    this.assertOpen(application, slot.key);
    if (declaredLength !== undefined && declaredLength > slot.maxBytes) throw this.tooLarge(slot);
    return { application, slot, fileName };
  }

  private checkedFileName(raw: string | undefined, slot: Material): string {
    if (raw === undefined || raw === '') return slot.key;
    const check = checkFileName(raw);
    if (!check.ok) {
      throw IntakeErrors.error(
        'InvalidFileName',
        `query.fileName is refused: ${check.message} The file itself is stored under its hash; send a plain name such as 营业执照.pdf.`,
        {
          field: 'query.fileName',
          rule: check.rule,
          fields: [{ field: 'query.fileName', rule: check.rule, message: check.message }],
        },
      );
    }
    return check.name;
  }

  private tooLarge(slot: Material) {
    return IntakeErrors.error('MaterialTooLarge', `${slot.name} (${slot.key}) accepts files of at most ${slot.maxBytes} bytes.`, {
      slotKey: slot.key,
      maxBytes: slot.maxBytes,
    });
  }

  /**
   * May a file still be added to this slot (seed 001 text 3 art. 11: "申请一经受理，其报件材料不得再行补正、替换")?
   * Before the freeze, yes; once acceptance has frozen the materials, no (409 MaterialsFrozen), except a slot still
   * owed under a 容缺 commitment. A closed application (refused, withdrawn, terminated) takes nothing.
   */
  private assertOpen(application: MaterialsApplication, slotKey: string | null): void {
    if (CLOSED.includes(application.status)) {
      throw IntakeErrors.error('ApplicationStateConflict', `Application ${application.caseNumber} is ${application.status}: it takes no more materials.`, {
        caseNumber: application.caseNumber,
      });
    }
    if (!application.materialsFrozenAt) return;
    if (slotKey !== null && application.status === 'accepted-with-missing' && application.owedSlots.includes(slotKey)) return;
    const owed =
      application.status === 'accepted-with-missing' && application.owedSlots.length > 0
        ? ` Only the materials promised under its 容缺 commitment (${application.owedSlots.join(', ')}) may still be handed in.`
        : '';
    throw IntakeErrors.error(
      'MaterialsFrozen',
      `Application ${application.caseNumber} has been accepted; its materials are frozen and can no longer be replaced or added (申请一经受理，其报件材料不得再行补正、替换).${owed} To change them, ask to withdraw the application.`,
      { caseNumber: application.caseNumber, owedSlots: application.owedSlots },
    );
  }

  /**
   * Streams the body into staging (hashing, refusing past the slot's limit), checks what it really is, stores it by
   * hash and records it, once per Idempotency-Key. The object is stored before the record's transaction (never a
   * transaction across the store's I/O), so a record never points at a missing object.
   */
  async upload(target: UploadTarget, body: Readable, idempotencyKey: string, principal: Principal): Promise<{ result: MaterialFileDto; replayed: boolean }> {
    const { application, slot, fileName } = target;
    let staged;
    try {
      staged = await this.store.stage(body, { maxBytes: slot.maxBytes });
    } catch (e) {
      if (e instanceof ObjectTooLargeError) throw this.tooLarge(slot);
      throw e;
    }
    let stored: { sha256: string; size: number };
    try {
      const detection = await detectContentType(staged.path, this.zipLimits);
      if (!detection.ok) {
        if (detection.reason === 'archive') {
          throw IntakeErrors.error('ArchiveRefused', `The file is refused: ${detection.message}`, { slotKey: slot.key, found: detection.found });
        }
        throw IntakeErrors.error('MaterialTypeRefused', `${detection.message} ${slot.name} accepts ${slot.contentTypes.join(', ')}.`, {
          slotKey: slot.key,
          found: detection.found,
          accepted: slot.contentTypes,
        });
      }
      if (!slot.contentTypes.includes(detection.type)) {
        throw IntakeErrors.error(
          'MaterialTypeRefused',
          `The file is ${labelOf(detection.type)} (${detection.type}); ${slot.name} accepts ${slot.contentTypes.join(', ')}.`,
          {
            slotKey: slot.key,
            found: detection.type,
            accepted: slot.contentTypes,
          },
        );
      }
      // Read from staging before the commit moves it. The 收件清单 lists the pages of each PDF and OFD; one whose pages
      // cannot be counted within the bounds is refused (see the README, "Page counting").
      const pages = detection.type === 'application/pdf' || detection.type === 'application/ofd' ? await this.pagesOf(staged.path, detection.type, slot) : null;
      stored = await staged.commit();
      const contentType = detection.type;
      const request = { applicationId: application.id, slotKey: slot.key, sha256: stored.sha256, size: stored.size, fileName };
      // A refusal after this point (frozen meanwhile, duplicate, too many) leaves a sound document unreferenced in the
      // store. It is not deleted here: the same bytes may be on their way into another application's record right now
      // (content addressing), and deleting them would leave that record without its file.
      return await runIdempotent(this.ds, IDEMPOTENCY_SCOPE, idempotencyKey, request, async (manager) => {
        await this.materials.lockApplication(manager, application.id);
        const current = await this.materials.findApplication({ by: 'id', id: application.id }, manager);
        if (!current) throw IntakeErrors.error('ApplicationNotFound', `No application ${application.caseNumber}.`);
        this.assertOpen(current, slot.key);
        const active = await this.materials.active(application.id, manager);
        const same = active.find((m) => m.sha256 === stored.sha256);
        if (same) {
          throw IntakeErrors.error(
            'DuplicateMaterial',
            `This file (SHA-256 ${stored.sha256.slice(0, 12)}…) was already received for ${same.slotName} (${same.slotKey}) as ${JSON.stringify(same.fileName)}.`,
            {
              materialId: same.id,
              slotKey: same.slotKey,
              sha256: stored.sha256,
            },
          );
        }
        if (active.length >= this.config.MATERIALS_MAX_FILES_PER_APPLICATION) {
          throw IntakeErrors.error('TooManyMaterials', `An application takes at most ${this.config.MATERIALS_MAX_FILES_PER_APPLICATION} files.`, {
            max: this.config.MATERIALS_MAX_FILES_PER_APPLICATION,
          });
        }
        if (active.filter((m) => m.slotKey === slot.key).length >= this.config.MATERIALS_MAX_FILES_PER_SLOT) {
          throw IntakeErrors.error('TooManyMaterials', `${slot.name} takes at most ${this.config.MATERIALS_MAX_FILES_PER_SLOT} files.`, {
            slotKey: slot.key,
            max: this.config.MATERIALS_MAX_FILES_PER_SLOT,
          });
        }
        const material: ApplicationMaterial = {
          id: randomUUID(),
          applicationId: application.id,
          slotKey: slot.key,
          slotName: slot.name,
          sha256: stored.sha256,
          size: stored.size,
          pages,
          contentType,
          fileName,
          uploadedBy: actingSubject(principal),
          uploadedByName: actorLabel(principal),
          uploadedAt: new Date(),
          // An owed 容缺 material handed in after the freeze is frozen as it arrives.
          state: current.materialsFrozenAt ? 'frozen' : 'received',
          removedAt: null,
        };
        await this.materials.insert(manager, material);
        return MaterialFileDto.of(material);
      });
    } finally {
      await staged.discard();
    }
  }

  /**
   * Meets a material slot marked "can be taken from an issued licence" with a valid licence of the applicant's own
   * instead of a file (证照复用): the slot counts as received and the receipt lists the licence. Under the same lock and
   * checks as an upload (before the freeze, or a slot still owed under 容缺); again for the same slot replaces it.
   */
  async useLicence(ref: ApplicationRef, slotKey: string, licenceNumber: string, principal: Principal): Promise<MaterialsReceiptDto> {
    const application = await this.applicationFor(ref, principal);
    const slot = (await this.slotsOf(application)).find((s) => s.key === slotKey);
    if (!slot) throw IntakeErrors.error('MaterialSlotNotFound', `The matter ${application.matterCode} (version ${application.matterVersion}) has no material slot ${JSON.stringify(slotKey.slice(0, 64))}.`, { field: 'param.slotKey' });
    if (!slot.fromIssuedLicence) throw IntakeErrors.error('LicenceNotAccepted', `${slot.name} (${slot.key}) cannot be taken from a licence: upload the file.`, { field: 'param.slotKey' });
    this.assertOpen(application, slot.key);
    await this.licenceLookup.usable(licenceNumber, application.applicantId, slot.fromIssuedLicence);
    await this.ds.transaction(async (manager) => {
      await this.materials.lockApplication(manager, application.id);
      const current = await this.materials.findApplication({ by: 'id', id: application.id }, manager);
      if (!current) throw IntakeErrors.error('ApplicationNotFound', `No application ${application.caseNumber}.`);
      this.assertOpen(current, slot.key);
      await this.licences.putReference(manager, { applicationId: application.id, slotKey: slot.key, slotName: slot.name, licenceNumber, referencedBy: actingSubject(principal), referencedAt: new Date() });
    });
    return this.receiptOf(application);
  }

  /** The materials of an application with the slots of its matter version: what the receipt (接件凭证) lists. */
  async receipt(ref: ApplicationRef, principal: Principal): Promise<MaterialsReceiptDto> {
    return this.receiptOf(await this.applicationFor(ref, principal));
  }

  /** The receipt data for an application, for the notices (no caller check: the caller has done it). */
  async receiptFor(applicationId: string): Promise<MaterialsReceiptDto | null> {
    const application = await this.materials.findApplication({ by: 'id', id: applicationId });
    return application ? this.receiptOf(application) : null;
  }

  private async receiptOf(application: MaterialsApplication): Promise<MaterialsReceiptDto> {
    const [slots, files, refs] = await Promise.all([this.slotsOf(application), this.materials.active(application.id), this.licences.referencesOf(application.id)]);
    const bySlot = slots.map((s) => ({
      key: s.key,
      name: s.name,
      required: s.required,
      mayBeDeferred: s.mayBeDeferred,
      form: s.form,
      contentTypes: s.contentTypes,
      maxBytes: s.maxBytes,
      files: files.filter((f) => f.slotKey === s.key).map((f) => MaterialFileDto.of(f)),
      fromIssuedLicence: s.fromIssuedLicence,
      licenceNumber: refs.find((r) => r.slotKey === s.key)?.licenceNumber ?? null,
    }));
    // A slot met by a licence of the applicant's own counts as received (证照复用).
    const missingRequired = bySlot.filter((s) => s.required && s.files.length === 0 && !s.licenceNumber).map((s) => s.key);
    return {
      applicationId: application.id,
      caseNumber: application.caseNumber,
      matterCode: application.matterCode,
      matterVersion: application.matterVersion,
      frozen: application.materialsFrozenAt !== null,
      frozenAt: application.materialsFrozenAt?.toISOString() ?? null,
      slots: bySlot,
      missingRequired,
      deferrable: missingRequired.filter((k) => bySlot.find((s) => s.key === k)?.mayBeDeferred),
      owed: application.status === 'accepted-with-missing' ? application.owedSlots : [],
    };
  }

  /** One file's record and its bytes; the stream fails (and the response is cut) if the bytes no longer match the hash. */
  async open(ref: ApplicationRef, materialId: string, principal: Principal): Promise<{ material: ApplicationMaterial; content: Readable }> {
    const application = await this.applicationFor(ref, principal);
    const material = await this.materials.findOne(application.id, materialId);
    if (!material || material.state === 'removed')
      throw IntakeErrors.error('MaterialNotFound', `Application ${application.caseNumber} has no material ${materialId}.`);
    const content = await this.store.get(material.sha256);
    return { material, content: content.pipe(new VerifyingStream(material.sha256)) };
  }

  /** Removes a file before acceptance (the applicant replaces it); after the freeze, 409. */
  async remove(ref: ApplicationRef, materialId: string, principal: Principal): Promise<void> {
    const application = await this.applicationFor(ref, principal);
    await this.ds.transaction(async (manager) => {
      await this.materials.lockApplication(manager, application.id);
      const current = await this.materials.findApplication({ by: 'id', id: application.id }, manager);
      if (!current) throw IntakeErrors.error('ApplicationNotFound', `No application ${application.caseNumber}.`);
      this.assertOpen(current, null);
      const material = await this.materials.findOne(application.id, materialId);
      if (!material || material.state === 'removed')
        throw IntakeErrors.error('MaterialNotFound', `Application ${application.caseNumber} has no material ${materialId}.`);
      await this.materials.markRemoved(manager, material.id, new Date());
    });
  }

  /**
   * Freezes an application's materials, in the caller's transaction: acceptance calls it when it accepts, deems
   * accepted or accepts with missing materials. The freeze is recorded once, on the application
   * (`applications.materials_frozen_at`; the first freeze stands), and every file received so far becomes `frozen`.
   * Waits for an upload in flight; idempotent. Returns the frozen files (for the acceptance notice's list).
   */
  async freeze(manager: EntityManager, applicationId: string, at: Date): Promise<MaterialFileDto[]> {
    await this.materials.lockApplication(manager, applicationId);
    await this.materials.markApplicationFrozen(manager, applicationId, at);
    await this.materials.markFrozen(manager, applicationId);
    return (await this.materials.active(applicationId, manager)).map((m) => MaterialFileDto.of(m));
  }

  /**
   * The files received (not removed) of an application, in the caller's transaction and under the materials lock, so
   * an upload in flight finishes first: the window's confirmation of 容缺 materials checks what is really there.
   */
  async received(manager: EntityManager, applicationId: string): Promise<MaterialFileDto[]> {
    await this.materials.lockApplication(manager, applicationId);
    return (await this.materials.active(applicationId, manager)).map((m) => MaterialFileDto.of(m));
  }

  async isFrozen(applicationId: string): Promise<boolean> {
    return ((await this.materials.findApplication({ by: 'id', id: applicationId }))?.materialsFrozenAt ?? null) !== null;
  }
}

/**
 * Passes bytes through and fails at the end if their SHA-256 is not the recorded one (a file altered on disk). The
 * last chunk is held back until the hash is checked, so an altered file never reaches the client whole.
 */
class VerifyingStream extends Transform {
  private readonly hash = createHash('sha256');
  private held: Buffer | undefined;
  constructor(private readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }
  override _flush(callback: TransformCallback): void {
    const actual = this.hash.digest('hex');
    if (actual !== this.expected) {
      callback(new Error(`stored object ${this.expected} no longer matches its hash (${actual})`));
      return;
    }
    callback(null, this.held);
  }
}
