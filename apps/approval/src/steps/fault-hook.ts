import { Inject, Injectable } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';

/**
 * Test-only fault injection for the crash test: with APPROVAL_FAULT_KILL_AFTER_ENGINE_COMPLETE=n the process kills
 * itself (SIGKILL, no cleanup) right after its n-th engine completion, before the opinion is confirmed. Inert in
 * production and when unset.
 */
@Injectable()
export class FaultHook {
  private completions = 0;
  private readonly killAfter: number;

  constructor(@Inject(APPROVAL_CONFIG) config: ApprovalConfig) {
    this.killAfter = config.NODE_ENV === 'production' ? 0 : config.APPROVAL_FAULT_KILL_AFTER_ENGINE_COMPLETE;
  }

  afterEngineComplete(): void {
    if (this.killAfter === 0) return;
    this.completions += 1;
    if (this.completions === this.killAfter) process.kill(process.pid, 'SIGKILL');
  }
}
