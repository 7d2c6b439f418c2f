package gov.approval.engine.outbox;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ExtensionElements;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * What the outbox needs from a process model, per process definition id (deployed definitions never change): the
 * candidate groups and the time limit of each user task. Read once per definition, then served from memory.
 */
public final class StepModelCache {

  public static final String TIME_LIMIT_PROPERTY = "timeLimitWorkingDays";
  private static final int MAX_DEFINITIONS = 2000;

  /** A user task as modelled. dynamicGroups: candidateGroups holds an expression, so read the task's own links. */
  public record StepModel(List<String> candidateGroups, boolean dynamicGroups, BigDecimal timeLimitWorkingDays) {
    static final StepModel UNKNOWN = new StepModel(List.of(), false, null);
  }

  private final Map<String, Map<String, StepModel>> byDefinition = new ConcurrentHashMap<>();
  private final Function<String, BpmnModelInstance> modelLoader;

  public StepModelCache(Function<String, BpmnModelInstance> modelLoader) {
    this.modelLoader = modelLoader;
  }

  public StepModel step(String processDefinitionId, String taskDefinitionKey) {
    if (processDefinitionId == null || taskDefinitionKey == null) return StepModel.UNKNOWN;
    Map<String, StepModel> steps = byDefinition.get(processDefinitionId);
    if (steps == null) {
      steps = read(modelLoader.apply(processDefinitionId));
      if (byDefinition.size() >= MAX_DEFINITIONS) byDefinition.clear();
      byDefinition.put(processDefinitionId, steps);
    }
    return steps.getOrDefault(taskDefinitionKey, StepModel.UNKNOWN);
  }

  static Map<String, StepModel> read(BpmnModelInstance model) {
    Map<String, StepModel> steps = new HashMap<>();
    if (model == null) return steps;
    for (UserTask task : model.getModelElementsByType(UserTask.class)) {
      String groups = task.getCamundaCandidateGroups();
      boolean dynamic = groups != null && (groups.contains("${") || groups.contains("#{"));
      List<String> list = groups == null || dynamic ? List.of() : splitGroups(groups);
      steps.put(task.getId(), new StepModel(list, dynamic, timeLimit(task)));
    }
    return Map.copyOf(steps);
  }

  static List<String> splitGroups(String groups) {
    return Arrays.stream(groups.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static BigDecimal timeLimit(UserTask task) {
    ExtensionElements extensions = task.getExtensionElements();
    if (extensions == null) return null;
    for (CamundaProperties properties : extensions.getChildElementsByType(CamundaProperties.class)) {
      for (CamundaProperty property : properties.getCamundaProperties()) {
        if (TIME_LIMIT_PROPERTY.equals(property.getCamundaName()) && property.getCamundaValue() != null) {
          try {
            return new BigDecimal(property.getCamundaValue().trim());
          } catch (NumberFormatException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
