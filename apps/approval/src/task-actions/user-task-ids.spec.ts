import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userTaskIds } from './task-actions.service';

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
