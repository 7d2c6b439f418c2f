import { Inject, Injectable } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';

/**
 * Test-only fault injection for the crash tests: the process kills itself (SIGKILL, no cleanup) right after its n-th
 * engine completion, before the opinion is confirmed (APPROVAL_FAULT_KILL_AFTER_ENGINE_COMPLETE=n), or right after
 * recording its n-th pending completion, before the engine is called (APPROVAL_FAULT_KILL_AFTER_RECORD=n). Inert in
 * production and when unset.
 */
@Injectable()
export class FaultHook {
  private completions = 0;
  private records = 0;
  private readonly killAfter: number;
  private readonly killAfterRecord: number;

  constructor(@Inject(APPROVAL_CONFIG) config: ApprovalConfig) {
    const on = config.NODE_ENV !== 'production';
    this.killAfter = on ? config.APPROVAL_FAULT_KILL_AFTER_ENGINE_COMPLETE : 0;
    this.killAfterRecord = on ? config.APPROVAL_FAULT_KILL_AFTER_RECORD : 0;
  }

  afterEngineComplete(): void {
    if (this.killAfter === 0) return;
    this.completions += 1;
    if (this.completions === this.killAfter) process.kill(process.pid, 'SIGKILL');
  }

  afterRecord(): void {
    if (this.killAfterRecord === 0) return;
    this.records += 1;
    if (this.records === this.killAfterRecord) process.kill(process.pid, 'SIGKILL');
  }
}
