// The child process of ProcessNoticeRenderer (a WorkerProcess): loads the notice fonts once, then renders each notice
// it is sent and answers with the PDF bytes.
import { serveWorker } from '../../common/worker-child';
import { CjkFontSource } from './cjk-font';
import { NoticePdfRenderer, type RenderInput } from './notice-pdf';

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

if (require.main === module) {
  serveWorker(
    () => rendererForPackage(process.env.NOTICE_FONT_PACKAGE ?? '@fontsource/noto-sans-sc'),
    (input: RenderInput, renderer) => renderer.render(input),
  );
}
