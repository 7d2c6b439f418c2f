import type { RenderInput } from './notice-pdf';

export type { RenderInput };

/**
 * Turns a laid-out notice into PDF bytes (same input, same bytes). Two implementations: `NoticePdfRenderer` in this
 * process, and `ProcessNoticeRenderer`, the same renderer in a child process of lower CPU priority (the default), so
 * rendering never competes with requests and the fonts and PDF code are held only while there is work.
 */
export abstract class NoticeRenderer {
  abstract render(input: RenderInput): Promise<Buffer>;
}
