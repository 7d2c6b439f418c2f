declare module 'bpmn-moddle';
declare module 'bpmnlint/lib/linter';
declare module 'bpmnlint/lib/resolver/node-resolver';
declare module 'camunda-bpmn-moddle/resources/camunda.json';
