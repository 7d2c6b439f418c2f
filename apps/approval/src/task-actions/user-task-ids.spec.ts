import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextHumanSteps, userTaskIds } from './task-actions.service';

describe('userTaskIds (the return targets a model offers)', () => {
  it('lists the human steps of the standard-review flow and nothing else', () => {
    // given
    const xml = readFileSync(join(__dirname, '../../../../bpmn/standard-review.bpmn'), 'utf8');
    // when
    const ids = userTaskIds(xml);
    // then
    expect(ids).toEqual(['HandlerReview', 'ChiefReview', 'LeaderReview', 'LeadershipMeeting']);
  });

  it('reads user tasks with or without a namespace prefix and with id not first', () => {
    const xml = '<definitions><userTask name="a" id="A"/><bpmn2:userTask id="B"></bpmn2:userTask><serviceTask id="C"/><userTaskX id="D"/></definitions>';
    expect(userTaskIds(xml)).toEqual(['A', 'B']);
  });
});

describe('nextHumanSteps (where a meeting can be requested)', () => {
  const standard = readFileSync(join(__dirname, '../../../../bpmn/standard-review.bpmn'), 'utf8');
  const joint = readFileSync(join(__dirname, '../../../../bpmn/joint-review.bpmn'), 'utf8');

  it('follows gateways to the next human steps, not the return shortcuts', () => {
    expect(nextHumanSteps(standard, 'HandlerReview')).toEqual(['ChiefReview']);
    expect(nextHumanSteps(standard, 'ChiefReview')).toEqual(['LeaderReview']);
    expect(nextHumanSteps(joint, 'LeadHandlerReview')).toEqual(['CoReview']);
  });

  it('finds the meeting behind the leader’s review and the lead’s consolidation', () => {
    expect(nextHumanSteps(standard, 'LeaderReview')).toEqual(['LeadershipMeeting']);
    expect(nextHumanSteps(joint, 'Consolidate').sort()).toEqual(['JointMeeting', 'LeaderDecision']);
  });
});
