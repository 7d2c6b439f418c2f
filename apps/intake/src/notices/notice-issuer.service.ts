import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER, RequestContext } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { IntakeErrors } from '../errors';
import { NotificationsService } from '../notifications/notifications.service';
import { IdentityClient, IdentityRefusal } from './identity.client';
import { type AnyNoticeData, NOTICE_DATA, NOTICE_TITLES, type NoticeInput, type NoticeKind, chineseDate, chineseDateOf, documentNumberOf, noticeKey, yuan } from './notice-kinds';
import { layoutNotice } from './notice-layout';
import { Notice } from './notice.entity';
import { NoticesRepository } from './notices.repository';
import { NoticeRenderer } from './pdf/notice-renderer';

/** The clock notices are dated by (replaceable in tests). */
export abstract class NoticeClock {
  abstract now(): Date;
}
export class SystemNoticeClock extends NoticeClock {
  now(): Date {
    return new Date();
  }
}

/** What callers get back: the notice without its bytes. */
export interface IssuedNotice {
  id: string;
  kind: NoticeKind;
  caseNumber: string;
  applicationId: string;
  documentNumber: string;
  verificationCode: string;
  verifyUrl: string;
  status: 'sealing' | 'sealed';
  issuedAt: string;
  sha256: string | null;
  seal: { orgCode: string; orgName: string | null; serial: string; sealedAt: string } | null;
  downloadPath: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 Crockford base32 characters (80 random bits) in groups of four: what a person types into the verification page. */
export function newVerificationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return (out.match(/.{4}/g) ?? []).join('-');
}

/** Retry sealing after the n-th failure: 10 s, 20 s, 40 s ... capped at 10 minutes. */
export function sealRetryDelayMs(attempts: number): number {
  return Math.min(10 * 60_000, 5_000 * 2 ** Math.max(0, attempts));
}

function message(n: AnyNoticeData, deptName: string, documentNumber: string, code: string): { subject: string; body: string } {
  const d = n.data;
  const what = `您申办的${d.matter.name}（申办编号${d.caseNumber}）`;
  const paper = n.kind === 'approval-decision' || n.kind === 'refusal-decision' || n.kind === 'revocation-decision' ? '决定书' : n.kind === 'licence' ? '证照' : n.kind === 'filing-receipt' ? '回执' : '通知书';
  const tail = `${paper}文号${documentNumber}，验证码${code}，可登录网上办事大厅下载，或持验证码核验。`;
  const text = ((): string => {
    switch (n.kind) {
      case 'receipt':
        return `${what}申请材料已收到，将于${chineseDate(n.data.decisionDueDate)}前决定是否受理。`;
      case 'acceptance':
        return `${what}已${n.data.deemed ? '依法视为' : '予以'}受理，承诺于${chineseDate(n.data.promisedCompletionDate)}前办结。`;
      case 'refusal':
        return `${what}不予受理。理由及救济途径见通知书。`;
      case 'correction':
        return `${what}需要补正材料${n.data.items.length}项，请于${chineseDate(n.data.deadline)}前补正。`;
      case 'acceptance-with-missing':
        return `${what}已容缺受理，请于${chineseDate(n.data.deadline)}前补齐${n.data.missing.length}项材料。`;
      case 'withdrawal':
        return `${what}已于${chineseDateOf(n.data.approvedAt)}准予撤回。`;
      case 'approval-decision':
        return `${what}已于${chineseDateOf(n.data.decidedAt)}作出准予行政许可的决定${n.data.licence ? `，颁发${n.data.licence.type}（证照编号${n.data.licence.number}）` : ''}。`;
      case 'refusal-decision':
        return `${what}已于${chineseDateOf(n.data.decidedAt)}作出不予行政许可的决定。理由及救济途径见决定书。`;
      case 'payment-notice':
        return `${what}经审查拟准予许可，需缴纳费用${yuan(n.data.totalFen)}，请于${chineseDateOf(n.data.deadline)}前缴纳；逾期未缴纳的，将作出不予许可的决定。`;
      case 'licence':
        return `${what}已颁发${n.data.licenceType}（证照编号${n.data.licenceNumber}）。`;
      case 'filing-receipt':
        return `${what}已于${chineseDateOf(n.data.decidedAt)}予以备案。`;
      case 'revocation-decision':
        return `${what}所获行政许可（决定文号${n.data.revokesDocumentNumber}）已于${chineseDateOf(n.data.decidedAt)}被依法撤销${n.data.licenceNumber ? `，证照${n.data.licenceNumber}同时作废` : ''}。理由、失信记录及救济途径见决定书。`;
    }
  })();
  return { subject: `【${deptName}】${NOTICE_TITLES[n.kind].title}`, body: `${d.applicant.name}：${text}${tail}` };
}

/**
 * Issues notices: `NoticeIssuer.issue(kind, data)` records, renders, seals and confirms one, returning it sealed (or
 * `sealing` when identity could not be reached; the sealer finishes it). Use `record(manager, kind, data)` inside
 * your own transaction to make the notice part of a state change; it is sealed after your commit (call `complete(id)`
 * to do that at once, or leave it to the sealer). Issuing the same kind for the same application again returns the
 * first notice (per round for corrections).
 *
 * Never holds a transaction across a call to identity: record → (department, render) → seal → confirm.
 */
@Injectable()
export class NoticeIssuer {
  constructor(
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ds: DataSource,
    private readonly repo: NoticesRepository,
    private readonly identity: IdentityClient,
    private readonly renderer: NoticeRenderer,
    private readonly notifications: NotificationsService,
    private readonly clock: NoticeClock,
  ) {}

  get verifyBase(): string {
    return this.config.NOTICE_VERIFY_BASE_URL ?? `${this.config.IDENTITY_ISSUER.replace(/\/$/, '')}/verify/documents/`;
  }

  /** Validates the data of a notice kind (422 InvalidNoticeData naming the fields). */
  parse<K extends NoticeKind>(kind: K, input: NoticeInput<K>): AnyNoticeData {
    const schema = NOTICE_DATA[kind] as (typeof NOTICE_DATA)[NoticeKind] | undefined;
    if (!schema) throw IntakeErrors.error('InvalidNoticeData', `Unknown notice kind ${String(kind)}.`, { field: 'kind' });
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
      throw IntakeErrors.error('InvalidNoticeData', `The ${kind} notice data is invalid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { fields });
    }
    return { kind, data: parsed.data } as AnyNoticeData;
  }

  /** Records a notice in the caller's transaction; returns its id (the first one's, if already recorded). */
  async record<K extends NoticeKind>(manager: EntityManager, kind: K, input: NoticeInput<K>): Promise<string> {
    const n = this.parse(kind, input);
    const key = noticeKey(n);
    const issuedAt = this.clock.now();
    const notice = Object.assign(new Notice(), {
      id: randomUUID(),
      issueKey: key,
      kind: n.kind,
      applicationId: n.data.applicationId,
      caseNumber: n.data.caseNumber,
      applicantId: n.data.applicant.id,
      departmentCode: n.data.departmentCode,
      sealOrgCode: null,
      sealOrgName: null,
      documentNumber: documentNumberOf(n, issuedAt),
      verificationCode: newVerificationCode(),
      data: n.data,
      issuedAt,
      pdf: null,
      sha256: null,
      status: 'sealing',
      sealSerial: null,
      sealJws: null,
      sealedAt: null,
      sealAttempts: 0,
      nextSealAt: issuedAt,
      lastError: null,
    });
    if (await this.repo.insertIfAbsent(manager, notice)) return notice.id;
    const existing = await this.repo.byIssueKey(key, manager);
    if (!existing) throw new Error(`notice ${key} is being recorded concurrently`);
    return existing.id;
  }

  /** Records, renders, seals and confirms a notice. */
  async issue<K extends NoticeKind>(kind: K, input: NoticeInput<K>): Promise<IssuedNotice> {
    const id = await this.ds.transaction((m) => this.record(m, kind, input));
    return this.complete(id);
  }

  /** Takes a recorded notice as far as it goes now: render, seal, confirm. Safe to call again at any point. */
  async complete(id: string): Promise<IssuedNotice> {
    let notice = await this.repo.byId(id);
    if (!notice) throw IntakeErrors.error('NoticeNotFound', `No notice ${id}.`);
    if (notice.status === 'sealed') return this.view(notice);
    try {
      if (!notice.pdf || !notice.sha256 || !notice.sealOrgCode || !notice.sealOrgName) {
        const rendering = await this.render(notice);
        await this.repo.saveRendering(notice.id, rendering);
        notice = (await this.repo.byId(id))!;
      }
      const title = NOTICE_TITLES[notice.kind].title;
      const sealed = await this.identity.seal({ orgCode: notice.sealOrgCode!, documentCode: notice.verificationCode, sha256: notice.sha256!, title: `${title} ${notice.documentNumber}` });
      if (sealed.sha256 !== notice.sha256) throw new Error(`identity sealed hash ${sealed.sha256}, expected ${notice.sha256}`);
      const sealedAt = new Date(sealed.sealedAt);
      const current = notice;
      await this.ds.transaction(async (m) => {
        if (!(await this.repo.confirmSealed(m, current.id, { sealSerial: sealed.sealSerial, sealJws: sealed.jws, sealedAt }))) return;
        await this.onSealed(m, current, sealed.sealSerial, sealedAt);
      });
    } catch (e) {
      const attempts = notice.sealAttempts + 1;
      const reason = e instanceof Error ? e.message : String(e);
      const next = new Date(this.clock.now().getTime() + sealRetryDelayMs(attempts));
      this.logger.warn({ notice: notice.id, case: notice.caseNumber, attempts, permanent: e instanceof IdentityRefusal, err: reason }, 'sealing a notice failed; the sealer retries');
      await this.repo.sealFailed(notice.id, reason, next);
    }
    return this.view((await this.repo.byId(id))!);
  }

  /** The PDF bytes of a notice, rendered from what was recorded: the department at identity, the font, the codes. */
  private async render(notice: Notice): Promise<{ pdf: Buffer; sha256: string; sealOrgCode: string; sealOrgName: string }> {
    const dept = await this.identity.sealingDepartment(notice.departmentCode);
    const n = { kind: notice.kind, data: notice.data } as unknown as AnyNoticeData;
    const layout = layoutNotice(n, { documentNumber: notice.documentNumber, departmentName: dept.name, issuedAt: notice.issuedAt });
    const pdf = await this.renderer.render({
      layout,
      verificationCode: notice.verificationCode,
      verifyUrl: `${this.verifyBase}${encodeURIComponent(notice.verificationCode)}`,
      sealOrgName: dept.name,
      sealLabel: this.config.NOTICE_SEAL_LABEL,
      issuedAt: notice.issuedAt,
    });
    return { pdf, sha256: createHash('sha256').update(pdf).digest('hex'), sealOrgCode: dept.code, sealOrgName: dept.name };
  }

  /** In the confirming transaction: the notice.issued event and the applicant's notifications (not for a joint window's part). */
  private async onSealed(m: EntityManager, notice: Notice, sealSerial: string, sealedAt: Date): Promise<void> {
    await enqueueEvent(
      m,
      makeEvent({
        type: 'gov.intake.notice.issued',
        source: '/intake',
        subject: notice.caseNumber,
        traceId: RequestContext.current()?.traceId,
        correlationId: notice.applicationId,
        data: {
          noticeId: notice.id,
          kind: notice.kind,
          documentNumber: notice.documentNumber,
          verificationCode: notice.verificationCode,
          caseNumber: notice.caseNumber,
          applicationId: notice.applicationId,
          departmentCode: notice.departmentCode,
          sealOrgCode: notice.sealOrgCode!,
          sealSerial,
          sha256: notice.sha256!,
          issuedAt: notice.issuedAt.toISOString(),
          sealedAt: sealedAt.toISOString(),
        },
      }),
    );
    const n = { kind: notice.kind, data: notice.data } as unknown as AnyNoticeData;
    if (n.kind === 'licence') {
      // Verifiable from now on: the licence store's copy is announced (the applicant hears of it with the decision).
      await enqueueEvent(
        m,
        makeEvent({
          type: 'gov.intake.licence.issued',
          source: '/intake',
          subject: notice.caseNumber,
          traceId: RequestContext.current()?.traceId,
          correlationId: notice.applicationId,
          data: {
            licenceNumber: n.data.licenceNumber,
            licenceType: n.data.licenceType,
            caseNumber: notice.caseNumber,
            matterCode: n.data.matter.code,
            departmentCode: notice.departmentCode,
            validFrom: n.data.validFrom,
            validTo: n.data.validTo,
            issuedAt: notice.issuedAt.toISOString(),
          },
        }),
      );
      return;
    }
    if (n.kind === 'approval-decision' || n.kind === 'refusal-decision' || n.kind === 'filing-receipt' || n.kind === 'revocation-decision') {
      // The decision notification (seed 001 text 3 art. 18-20: the applicant is told of the decision), once per case,
      // sent when its document exists: with the PDF, the download path and the verification code.
      const text = message(n, notice.sealOrgName ?? '', notice.documentNumber, notice.verificationCode);
      const link = `下载：${this.view(notice).downloadPath}；核验：${this.verifyBase}${encodeURIComponent(notice.verificationCode)}`;
      await this.notifications.enqueueForCase(m, notice.caseNumber, { dedupeKey: n.kind === 'revocation-decision' ? `revocation:${notice.caseNumber}` : `decision:${notice.caseNumber}`, reason: 'decision', noticeId: notice.id, text: () => ({ subject: text.subject, body: `${text.body}${link}` }) }, this.clock.now());
      return;
    }
    // A joint window's part notice is its department's record (it takes it up through the event above); the applicant
    // is notified once, with the joint window's combined notice that lists the parts.
    if (n.kind === 'acceptance' && n.data.jointWindowOf) return;
    const text = message(n, notice.sealOrgName ?? '', notice.documentNumber, notice.verificationCode);
    await this.notifications.enqueue(
      m,
      { dedupeKey: `notice:${notice.id}`, noticeId: notice.id, caseNumber: notice.caseNumber, reason: notice.kind, recipient: { id: n.data.applicant.id, name: n.data.applicant.name }, contact: n.data.contact, ...text },
      this.clock.now(),
    );
  }

  view(n: Notice): IssuedNotice {
    return {
      id: n.id,
      kind: n.kind,
      caseNumber: n.caseNumber,
      applicationId: n.applicationId,
      documentNumber: n.documentNumber,
      verificationCode: n.verificationCode,
      verifyUrl: `${this.verifyBase}${encodeURIComponent(n.verificationCode)}`,
      status: n.status,
      issuedAt: n.issuedAt.toISOString(),
      sha256: n.sha256,
      seal: n.status === 'sealed' && n.sealSerial && n.sealedAt && n.sealOrgCode ? { orgCode: n.sealOrgCode, orgName: n.sealOrgName, serial: n.sealSerial, sealedAt: n.sealedAt.toISOString() } : null,
      downloadPath: `/notices/${n.id}/pdf`,
    };
  }
}
