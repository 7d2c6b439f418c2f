import { timeLimitOf } from './open-steps.projector';

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
