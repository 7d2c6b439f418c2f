// The child process of ProcessPageCounter (a WorkerProcess): counts the pages of each staged PDF or OFD it is sent.
// Its heap is bounded (--max-old-space-size) and the parent kills it past the time limit, so a crafted file costs
// this process, never the service's event loop.
import { serveWorker } from '../../common/worker-child';
import { type PageCountRequest, countPages } from './page-count';

if (require.main === module) {
  serveWorker(
    async () => {
      // Loaded before the child says it is ready: a count's time limit pays for the count only.
      await Promise.all([import('pdf-lib'), import('fflate')]);
    },
    (request: PageCountRequest) => countPages(request),
  );
}
