import { Module } from '@nestjs/common';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { NotificationsModule } from '../notifications/notifications.module';
import { IdentityClient } from './identity.client';
import { NoticeClock, NoticeIssuer, SystemNoticeClock } from './notice-issuer.service';
import { NoticeSealer } from './notice-sealer';
import { NoticesController } from './notices.controller';
import { NoticesRepository } from './notices.repository';
import { CjkFontSource } from './pdf/cjk-font';
import { NoticePdfRenderer } from './pdf/notice-pdf';

function rendererOf(config: IntakeConfig): NoticePdfRenderer {
  const regular = CjkFontSource.fromPackage(config.NOTICE_FONT_PACKAGE, 400);
  let bold = regular;
  try {
    bold = CjkFontSource.fromPackage(config.NOTICE_FONT_PACKAGE, 700);
  } catch {
    // the package has one weight only: titles in the regular weight
  }
  return new NoticePdfRenderer(regular, bold);
}

/** Notices: sealed PDFs of every acceptance step (NoticeIssuer), their download, and the sealer that retries. */
@Module({
  imports: [NotificationsModule],
  controllers: [NoticesController],
  providers: [
    NoticesRepository,
    IdentityClient,
    NoticeIssuer,
    NoticeSealer,
    { provide: NoticeClock, useClass: SystemNoticeClock },
    { provide: NoticePdfRenderer, useFactory: rendererOf, inject: [INTAKE_CONFIG] },
  ],
  exports: [NoticeIssuer, NoticesRepository, NoticeClock],
})
export class NoticesModule {}
