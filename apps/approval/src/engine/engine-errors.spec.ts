import { AppError } from '@gov/service-kit';
import { CamundaError } from '@gov/workflow';
import { ApprovalErrors } from '../errors';
import { translateEngineError } from './engine-errors';

const E = ApprovalErrors.code;
const translated = (e: unknown) => translateEngineError(e, 't1') as AppError;

describe('engine errors in the caller’s terms', () => {
  it('turns a task that is not a task (404 on reads, 500 "task is null" on commands) into 404 StepNotFound with the reason', () => {
    const read = translated(new CamundaError(404, 'InvalidRequestException', 'No matching task with id t1', '/task/t1'));
    const command = translated(new CamundaError(500, 'RestException', 'Cannot complete task t1: Cannot find task with id t1: task is null', '/task/t1/complete'));
    expect([read.status, read.code, read.message]).toEqual([404, E.StepNotFound, expect.stringMatching(/No matching task with id t1/)]);
    expect([command.status, command.code]).toEqual([404, E.StepNotFound]);
  });

  it('turns an engine 400 into a 4xx that says what the engine refused', () => {
    const e = translated(new CamundaError(400, 'InvalidRequestException', "Cannot convert value 'x' of type 'Long'", '/task/t1/complete'));
    expect([e.status, e.code]).toEqual([422, E.EngineRefused]);
    expect(e.message).toMatch(/refused the request: Cannot convert value 'x' of type 'Long'/);
    expect(e.message).not.toMatch(/request body could not be read/);
  });

  it('turns an engine that does not answer into 503 EngineUnavailable', () => {
    const e = translated(new CamundaError(0, 'EngineUnreachable', 'fetch failed', '/task/t1'));
    expect([e.status, e.code]).toEqual([503, E.EngineUnavailable]);
  });

  it('turns a claim race into 409 StepClaimedByOther and optimistic locking into 409 StepChanged', () => {
    expect(translated(new CamundaError(500, 'TaskAlreadyClaimedException', "Task 't1' is already claimed by someone else.", '/task/t1/claim')).code).toBe(E.StepClaimedByOther);
    expect(translated(new CamundaError(500, 'OptimisticLockingException', 'ENTITY was updated by another transaction concurrently', '/task/t1/complete')).code).toBe(E.StepChanged);
  });

  it('passes errors that are not the engine’s through unchanged', () => {
    const other = new Error('boom');
    expect(translateEngineError(other)).toBe(other);
  });
});
