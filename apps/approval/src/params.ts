import { CaseNumber } from '@gov/contracts';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApprovalErrors } from './errors';

// Engine ids are UUIDs (the engine runs with the UUID id generator); anything else never reaches the engine.
const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `:taskId`: an engine task id (a UUID), refused with 400 otherwise. */
@Injectable()
export class TaskIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !TASK_ID.test(value)) {
      throw ApprovalErrors.error('InvalidTaskId', 'taskId must be an engine task id (a UUID such as 93ee70a0-edd5-11f1-ad5e-02fc00000001).', { field: 'taskId' });
    }
    return value;
  }
}

/** `:caseNumber`: a case number as contracts define it (e.g. 441200-20261122-000001), refused with 400 otherwise. */
@Injectable()
export class CaseNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CaseNumber.safeParse(value).success) {
      throw ApprovalErrors.error('InvalidCaseNumber', 'caseNumber must look like 441200-20261122-000001 (division code, date, sequence).', { field: 'caseNumber' });
    }
    return value;
  }
}
