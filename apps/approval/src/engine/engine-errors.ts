
import { CamundaError } from '@gov/workflow';
import { ApprovalErrors } from '../errors';

/**
 * The engine's answer in the caller's terms: a task id that is not a task is a 404 with the engine's reason, a
 * refusal is a 4xx that says what was refused, an engine that does not answer is a 503. Anything that is not an
 * engine error is returned unchanged (the kit's filter answers it).
 */
export function translateEngineError(e: unknown, taskId?: string): unknown {
  if (!(e instanceof CamundaError)) return e;
  const step = taskId ? `Step ${taskId}` : 'The step';
  if (e.isNotFound) return ApprovalErrors.error('StepNotFound', `${step} is not an open step (it may be completed already): ${e.reason}`);
  if (e.isAlreadyClaimed) return ApprovalErrors.error('StepClaimedByOther', `${step} is claimed by someone else: ${e.reason}`);
  if (e.isConcurrentModification) return ApprovalErrors.error('StepChanged', `${step} was changed by someone else at the same time; reload the worklist.`);
  if (e.isUnavailable) return ApprovalErrors.error('EngineUnavailable', 'The process engine is not answering; try again shortly.');
  if (e.status >= 400 && e.status < 500) return ApprovalErrors.error('EngineRefused', `The process engine refused the request: ${e.reason}`, { engineStatus: e.status, engineError: e.type });
  return ApprovalErrors.error('EngineFailed', `The process engine failed: ${e.reason}`, { engineStatus: e.status, engineError: e.type });
}

/** Runs an engine call and throws its failure translated. */
export async function onEngine<T>(call: Promise<T>, taskId?: string): Promise<T> {
  try {
    return await call;
  } catch (e) {
    throw translateEngineError(e, taskId);
  }
}

