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
  /** Names the process variable that carries the matter's own limit for this step (set from the catalogue at start). */
  public static final String TIME_LIMIT_VARIABLE_PROPERTY = "timeLimitVariable";
  private static final int MAX_DEFINITIONS = 2000;

  /**
   * A user task as modelled. dynamicGroups: candidateGroups holds an expression, so read the task's own links.
   * timeLimitWorkingDays is the model's statutory default; timeLimitVariable, when set, names the variable whose value
   * (the matter's limit from the catalogue) takes its place for an instance that has it.
   */
  public record StepModel(List<String> candidateGroups, boolean dynamicGroups, BigDecimal timeLimitWorkingDays, String timeLimitVariable) {
    static final StepModel UNKNOWN = new StepModel(List.of(), false, null, null);
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
      steps.put(task.getId(), new StepModel(list, dynamic, timeLimit(task), property(task, TIME_LIMIT_VARIABLE_PROPERTY)));
    }
    return Map.copyOf(steps);
  }

  static List<String> splitGroups(String groups) {
    return Arrays.stream(groups.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static BigDecimal timeLimit(UserTask task) {
    String value = property(task, TIME_LIMIT_PROPERTY);
    if (value == null) return null;
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The trimmed value of a camunda:property of the task, or null. */
  static String property(UserTask task, String name) {
    ExtensionElements extensions = task.getExtensionElements();
    if (extensions == null) return null;
    for (CamundaProperties properties : extensions.getChildElementsByType(CamundaProperties.class)) {
      for (CamundaProperty property : properties.getCamundaProperties()) {
        if (name.equals(property.getCamundaName()) && property.getCamundaValue() != null && !property.getCamundaValue().isBlank()) {
          return property.getCamundaValue().trim();
        }
      }
    }
    return null;
  }

  /**
   * The limit an instance's step runs under: the value of the step's timeLimitVariable when the instance has it as a
   * positive whole number (a Long from approval, or a numeric string), else the model's default.
   */
  public static BigDecimal effectiveLimit(StepModel step, Object variableValue) {
    if (step.timeLimitVariable() == null || variableValue == null) return step.timeLimitWorkingDays();
    try {
      BigDecimal v = variableValue instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(variableValue.toString().trim());
      if (v.signum() > 0 && v.stripTrailingZeros().scale() <= 0) return v.stripTrailingZeros().setScale(0);
    } catch (NumberFormatException e) {
      // not a number: the model's default stands
    }
    return step.timeLimitWorkingDays();
  }
}
