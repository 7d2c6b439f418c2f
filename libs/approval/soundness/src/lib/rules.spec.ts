import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBpmn } from './bpmn';
import { calledElements, timeLimitVariables } from './rules';

const flow = (file: string) => readFileSync(join(__dirname, '../../../../../bpmn', file), 'utf8');

describe('timeLimitVariables', () => {
  it('maps each user task that names a timeLimitVariable to it, by task id, multi-instance tasks included', async () => {
    // given
    const { definitions } = await parseBpmn(flow('joint-review.bpmn'));
    // when
    const variables = timeLimitVariables(definitions, 'joint-review');
    // then
    expect(Object.fromEntries(variables)).toEqual({
      LeadHandlerReview: 'handlerLimitDays',
      CoReview: 'coReviewLimitDays',
      Consolidate: 'consolidateLimitDays',
      JointMeeting: 'jointMeetingLimitDays',
      LeaderDecision: 'leaderLimitDays',
    });
  });

  it('finds tasks inside subprocesses, and nothing for a process key the file does not define', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:subProcess id="sub">
      <bpmn:userTask id="Inner"><bpmn:extensionElements><camunda:properties>
        <camunda:property name="timeLimitWorkingDays" value="2" /><camunda:property name="timeLimitVariable" value="innerDays" />
      </camunda:properties></bpmn:extensionElements></bpmn:userTask>
    </bpmn:subProcess>
    <bpmn:userTask id="NoVariable"><bpmn:extensionElements><camunda:properties>
      <camunda:property name="timeLimitWorkingDays" value="2" />
    </camunda:properties></bpmn:extensionElements></bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`;
    const { definitions } = await parseBpmn(xml);
    expect(Object.fromEntries(timeLimitVariables(definitions, 'p'))).toEqual({ Inner: 'innerDays' });
    expect(timeLimitVariables(definitions, 'other').size).toBe(0);
  });
});

describe('calledElements', () => {
  it('names the call into the city tenant of the higher-level submission, and none of a flow without calls', async () => {
    // given
    const county = (await parseBpmn(flow('higher-level-submission.bpmn'))).definitions;
    const skeleton = (await parseBpmn(flow('skeleton-approval.bpmn'))).definitions;
    // when / then
    expect(calledElements(county, 'higher-level-submission')).toEqual([{ activityId: 'CityReview', calledElement: 'higher-level-review', tenantId: '${cityTenantId}' }]);
    expect(calledElements(skeleton, 'skeleton-approval')).toEqual([]);
  });
});
