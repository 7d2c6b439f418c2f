import { LOGGER } from '@gov/service-kit';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { NotificationsModule } from '../notifications/notifications.module';
import { IdentityClient } from './identity.client';
import { NoticeClock, NoticeIssuer, SystemNoticeClock } from './notice-issuer.service';
import { NoticeSealer } from './notice-sealer';
import { NoticesController } from './notices.controller';
import { NoticesRepository } from './notices.repository';
import { NoticeRenderer } from './pdf/notice-renderer';
import { ProcessNoticeRenderer } from './pdf/process-renderer';

async function rendererOf(config: IntakeConfig, logger: Logger): Promise<NoticeRenderer> {
  if (config.NOTICE_RENDERER === 'process') {
    return new ProcessNoticeRenderer({
      fontPackage: config.NOTICE_FONT_PACKAGE,
      nice: config.NOTICE_RENDER_NICE,
      idleMs: config.NOTICE_RENDER_IDLE_MS,
      timeoutMs: config.NOTICE_RENDER_TIMEOUT_MS,
      logger: logger.child({ component: 'notice-renderer' }),
    });
  }
  // Loaded only here: the PDF code and the fonts stay out of the service's memory when rendering runs apart.
  const { rendererForPackage } = await import('./pdf/render-process');
  return rendererForPackage(config.NOTICE_FONT_PACKAGE);
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
    { provide: NoticeRenderer, useFactory: rendererOf, inject: [INTAKE_CONFIG, LOGGER] },
  ],
  exports: [NoticeIssuer, NoticesRepository, NoticeClock],
})
export class NoticesModule {}
