// The child process of ProcessNoticeRenderer: loads the notice fonts once, then renders each notice it is sent and
// answers with the PDF bytes. Started with `fork` (IPC, advanced serialisation: Dates and bytes pass as they are).
import { CjkFontSource } from './cjk-font';
import { NoticePdfRenderer, type RenderInput } from './notice-pdf';

export interface RenderRequest {
  id: number;
  input: RenderInput;
}
export type RenderReply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; error: string };

export function rendererForPackage(fontPackage: string): NoticePdfRenderer {
  const regular = CjkFontSource.fromPackage(fontPackage, 400);
  let bold = regular;
  try {
    bold = CjkFontSource.fromPackage(fontPackage, 700);
  } catch {
    // the package has one weight only: titles in the regular weight
  }
  return new NoticePdfRenderer(regular, bold);
}

if (require.main === module && process.send) {
  const renderer = rendererForPackage(process.env.NOTICE_FONT_PACKAGE ?? '@fontsource/noto-sans-sc');
  // One notice at a time, in the order sent: the parent holds the queue and the timeouts.
  let chain: Promise<void> = Promise.resolve();
  process.on('message', (request: RenderRequest) => {
    chain = chain.then(async () => {
      let reply: RenderReply;
      try {
        reply = { id: request.id, ok: true, pdf: await renderer.render(request.input) };
      } catch (e) {
        reply = { id: request.id, ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      process.send?.(reply);
    });
  });
  // The parent went away (crashed, killed): so does this process.
  process.on('disconnect', () => process.exit(0));
}
