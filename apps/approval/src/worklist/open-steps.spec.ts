import type { CamundaAdminClient } from '@gov/workflow';
import type { Logger } from 'pino';
import type { ApprovalConfig } from '../config';
import { AdjustableClock } from './clock';
import type { JointReviewsRepository } from './joint-reviews.repository';
import { OpenStepsProjector, stepOrganisation, timeLimitOf } from './open-steps.projector';
import type { OpenStepsRepository } from './open-steps.repository';

describe('timeLimitOf (catch-up reads the step limit from the model)', () => {
  const xml = `<bpmn:definitions>
    <bpmn:userTask id="A" name="a" camunda:candidateGroups="handler:x"><bpmn:extensionElements><camunda:properties>
      <camunda:property name="timeLimitWorkingDays" value="5" /><camunda:property name="timeLimitVariable" value="aDays" />
    </camunda:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="B"><bpmn:extensionElements><camunda:properties><camunda:property name="timeLimitWorkingDays" value="2" /></camunda:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="C" />
  </bpmn:definitions>`;

  it('reads the property and the overriding variable of the named step only', () => {
    expect(timeLimitOf(xml, 'A')).toEqual({ days: 5, variable: 'aDays' });
    expect(timeLimitOf(xml, 'B')).toEqual({ days: 2, variable: null });
  });

  it('gives no limit for a step without the property or not in the model', () => {
    expect(timeLimitOf(xml, 'C')).toEqual({ days: null, variable: null });
    expect(timeLimitOf(xml, 'Z')).toEqual({ days: null, variable: null });
  });
});

describe("a step's clock (seed 001 text 3 art. 22: working days, suspensions excluded)", () => {
  const projector = new OpenStepsProjector(
    {} as OpenStepsRepository,
    {} as CamundaAdminClient,
    { WORKLIST_YELLOW_HOURS: 24 } as ApprovalConfig,
    {} as Logger,
    new AdjustableClock(),
    {} as JointReviewsRepository,
  );
  // Monday 2026-12-07 10:00 CST
  const opened = new Date('2026-12-07T02:00:00Z');

  it('counts the limit from the day after opening, and turns yellow 24 hours before the deadline', () => {
    const c = projector.clockOf(opened, 3, []);
    expect(c.deadline?.toISOString()).toBe('2026-12-10T15:59:59.999Z'); // Thursday 23:59:59.999 CST
    expect(c.yellowAt?.toISOString()).toBe('2026-12-09T15:59:59.999Z');
    expect(c.suspendedAt).toBeNull();
  });

  it('moves the deadline past the working days an ended suspension covered, and stops the clock during an open one', () => {
    // Tuesday 08:00 to Thursday 18:00 CST covers Tuesday, Wednesday and Thursday office hours
    const ended = projector.clockOf(opened, 3, [{ suspendedAt: new Date('2026-12-08T00:00:00Z'), resumedAt: new Date('2026-12-10T10:00:00Z') }]);
    expect(ended.deadline?.toISOString()).toBe('2026-12-15T15:59:59.999Z'); // Fri, Mon, Tue
    const open = projector.clockOf(opened, 3, [{ suspendedAt: new Date('2026-12-08T00:00:00Z'), resumedAt: null }]);
    expect(open.deadline?.toISOString()).toBe('2026-12-10T15:59:59.999Z');
    expect(open.suspendedAt?.toISOString()).toBe('2026-12-08T00:00:00.000Z');
  });

  it('gives remaining working days, negative once overdue, and no deadline without a limit', () => {
    const deadline = new Date('2026-12-10T15:59:59.999Z');
    expect(projector.remainingWorkingDays(deadline, opened)).toBe(3);
    expect(projector.remainingWorkingDays(deadline, new Date('2026-12-10T05:00:00Z'))).toBe(0);
    expect(projector.remainingWorkingDays(deadline, new Date('2026-12-14T02:00:00Z'))).toBe(-2); // Fri and Mon
    expect(projector.clockOf(opened, null, []).deadline).toBeNull();
  });
});

describe("a step's organisation", () => {
  const kase = { caseNumber: 'C', matterCode: 'M', matterName: 'N', departmentCode: 'LEAD', coDepartmentCodes: ['CO1', 'CO2'] };

  it('is the co-reviewing department its groups name, the case’s department otherwise, and the named one for a called flow', () => {
    expect(stepOrganisation(kase, ['handler:CO2'], false)).toBe('CO2');
    expect(stepOrganisation(kase, ['handler:LEAD'], false)).toBe('LEAD');
    expect(stepOrganisation(kase, ['handler:ELSEWHERE'], false)).toBe('LEAD');
    expect(stepOrganisation(kase, ['handler:CITY'], true)).toBe('CITY');
    expect(stepOrganisation(undefined, ['handler:X'], false)).toBe('X');
    expect(stepOrganisation(undefined, [], false)).toBeNull();
  });
});
