// The child side of WorkerProcess: announces itself ready once its code is loaded, then runs each job it is sent, one
// at a time, and answers. Started with `fork` (IPC, advanced serialisation: Dates and bytes pass as they are). Kept
// free of imports so a child loads only what its own job needs.

export interface WorkerRequest<Req> {
  id: number;
  payload: Req;
}
export type WorkerReply<Res> = { id: number; ok: true; result: Res } | { id: number; ok: false; error: string };
export type WorkerMessage<Res> = { ready: true } | WorkerReply<Res>;

/**
 * Serves jobs in this process when it was forked by a WorkerProcess (does nothing otherwise). `setup` runs before the
 * child says it is ready (loading fonts, libraries), so a job's time limit never pays for it.
 */
export function serveWorker<Req, Res, S>(setup: () => S | Promise<S>, handle: (payload: Req, state: S) => Res | Promise<Res>): void {
  if (!process.send) return;
  void (async () => {
    const state = await setup();
    let chain: Promise<void> = Promise.resolve();
    process.on('message', (request: WorkerRequest<Req>) => {
      chain = chain.then(async () => {
        let reply: WorkerReply<Res>;
        try {
          reply = { id: request.id, ok: true, result: await handle(request.payload, state) };
        } catch (e) {
          reply = { id: request.id, ok: false, error: e instanceof Error ? e.message : String(e) };
        }
        process.send?.(reply);
      });
    });
    process.send?.({ ready: true } satisfies WorkerMessage<Res>);
  })().catch((e: unknown) => {
    process.stderr.write(`worker setup failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
  // The parent went away (crashed, killed): so does this process.
  process.on('disconnect', () => process.exit(0));
}
