/**
 * A one-step flow for tests of the engine's external-task machinery (incidents, retries): start → one external
 * service task on `topic` (activity `activityId`) → end, with a one-day history TTL.
 */
export function externalTaskFlow(o: { processId: string; topic: string; activityId: string; name: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_${o.processId}" targetNamespace="http://gov.approval/bpmn/tests">
  <bpmn:process id="${o.processId}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="${o.activityId}" name="${o.name}" camunda:type="external" camunda:topic="${o.topic}"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="${o.activityId}" />
    <bpmn:sequenceFlow id="F2" sourceRef="${o.activityId}" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}
