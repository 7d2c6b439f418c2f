package gov.approval.engine.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricScopeInstanceEvent;
import org.camunda.bpm.engine.impl.history.event.HistoricTaskInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricProcessInstanceEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricTaskInstanceEntity;
import org.camunda.bpm.engine.impl.persistence.entity.IdentityLinkEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns user-task and process-instance history events into CloudEvents rows in the {@code outbox} table. The row is
 * written on the engine's own JDBC connection, so it commits or rolls back with the engine's transaction.
 */
public class OutboxHistoryEventHandler implements HistoryEventHandler {

  public static final String STEP_TOPIC = "approval.step.v1";
  public static final String PROCESS_TOPIC = "approval.process.v1";
  public static final String STEP_OPENED = "gov.approval.step.opened";
  public static final String STEP_COMPLETED = "gov.approval.step.completed";
  public static final String STEP_CANCELLED = "gov.approval.step.cancelled";
  public static final String PROCESS_STARTED = "gov.approval.process.started";
  public static final String PROCESS_ENDED = "gov.approval.process.ended";
  public static final String SOURCE = "/engine";

  private static final Logger log = LoggerFactory.getLogger(OutboxHistoryEventHandler.class);

  static final String INSERT =
      "INSERT INTO outbox (id, topic, key, type, payload, headers) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)"
          + " ON CONFLICT (id) DO NOTHING";
  static final String HEADERS = "{\"content-type\":\"application/cloudevents+json; charset=UTF-8\"}";
  static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectMapper json;
  private final StepModelCache models;

  public OutboxHistoryEventHandler(ObjectMapper json, StepModelCache models) {
    this.json = json;
    this.models = models;
  }

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    for (HistoryEvent event : events) handleEvent(event);
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    if (event instanceof HistoricTaskInstanceEventEntity task) {
      if (log.isDebugEnabled()) {
        log.debug("task event {} task={} deleteReason={} taskState={}", task.getEventType(), task.getTaskId(),
            task.getDeleteReason(), task.getTaskState());
      }
      String type = stepType(task);
      if (type != null && task.getProcessInstanceId() != null) write(stepEvent(task, type));
    } else if (event instanceof HistoricProcessInstanceEventEntity process) {
      String type = processType(process);
      if (type != null) write(processEvent(process, type));
    }
  }

  /**
   * The engine reports both completion and deletion of a task as a "complete" event (7.24; "delete" is kept for other
   * paths): only the delete reason "completed" means the step was done, anything else means it was cancelled.
   */
  static String stepType(HistoricTaskInstanceEventEntity event) {
    if (event.isEventOfType(HistoryEventTypes.TASK_INSTANCE_CREATE)) return STEP_OPENED;
    if (event.isEventOfType(HistoryEventTypes.TASK_INSTANCE_COMPLETE)
        || event.isEventOfType(HistoryEventTypes.TASK_INSTANCE_DELETE)) {
      return TaskEntity.DELETE_REASON_COMPLETED.equals(event.getDeleteReason()) ? STEP_COMPLETED : STEP_CANCELLED;
    }
    return null; // update, migrate
  }

  static String processType(HistoricProcessInstanceEventEntity event) {
    if (event.isEventOfType(HistoryEventTypes.PROCESS_INSTANCE_START)) return PROCESS_STARTED;
    if (event.isEventOfType(HistoryEventTypes.PROCESS_INSTANCE_END)) return PROCESS_ENDED;
    return null; // update, migrate
  }

  /** One outbox row. */
  record OutboxRow(UUID id, String topic, String key, String type, String payload) {}

  OutboxRow stepEvent(HistoricTaskInstanceEventEntity event, String type) {
    CommandContext commandContext = Context.getCommandContext();
    String businessKey = businessKey(commandContext, event.getProcessInstanceId(), event.getRootProcessInstanceId());
    StepModelCache.StepModel step = models.step(event.getProcessDefinitionId(), event.getTaskDefinitionKey());
    List<String> groups = step.dynamicGroups() ? runtimeCandidateGroups(commandContext, event.getTaskId()) : step.candidateGroups();

    Date openedAt = taskOpenedAt(commandContext, event);
    Date time = STEP_OPENED.equals(type) ? openedAt : event.getEndTime();
    ObjectNode data = json.createObjectNode();
    data.put("processInstanceId", event.getProcessInstanceId());
    data.put("processDefinitionId", event.getProcessDefinitionId());
    data.put("processDefinitionKey", event.getProcessDefinitionKey());
    data.put("businessKey", businessKey);
    data.put("taskId", event.getTaskId());
    data.put("taskDefinitionKey", event.getTaskDefinitionKey());
    data.put("name", event.getName());
    ArrayNode groupArray = data.putArray("candidateGroups");
    groups.forEach(groupArray::add);
    data.put("assignee", event.getAssignee());
    data.put("timeLimitWorkingDays", StepModelCache.effectiveLimit(step, limitVariable(commandContext, event, step)));
    data.put("openedAt", iso(openedAt));
    data.put("completedAt", STEP_COMPLETED.equals(type) ? iso(event.getEndTime()) : null);
    data.put("deleteReason", STEP_CANCELLED.equals(type) ? event.getDeleteReason() : null);
    data.put("tenantId", event.getTenantId());
    if (STEP_COMPLETED.equals(type)) {
      List<String> actor = actorGroups(commandContext, event);
      if (actor != null) {
        ArrayNode actorArray = data.putArray("actorGroups");
        actor.forEach(actorArray::add);
      }
    }
    return row(STEP_TOPIC, type, event.getTaskId(), subject(businessKey, event.getProcessInstanceId()), time,
        event.getTenantId(), data);
  }

  /** Longest actor group list put on an event (an officer's role:org groups are far fewer). */
  static final int MAX_ACTOR_GROUPS = 100;

  /**
   * Who completed the step, as groups (e-supervision's unauthorised-action rule compares them with the step's candidate
   * groups): the officer's role:org groups approval sends with its completion, in the process variable
   * {@code <taskDefinitionKey>ActorGroups} = {@code {"taskId": ..., "groups": [...]}}, when it names this very task (a
   * variable left by an earlier completion of the same step, before a return, names another task); otherwise the
   * engine user the command ran as, {@code engine-user:<id>} and that user's groups (a completion through Cockpit or
   * the REST API that did not go through approval's officer checks); null when neither is known (no authentication,
   * as in the local profile).
   */
  List<String> actorGroups(CommandContext commandContext, HistoricTaskInstanceEventEntity event) {
    if (commandContext == null) return null;
    List<String> fromApproval = approvalActorGroups(commandContext, event);
    if (fromApproval != null) return fromApproval;
    Authentication auth = commandContext.getAuthentication();
    if (auth == null || auth.getUserId() == null) return null;
    List<String> groups = new ArrayList<>();
    groups.add("engine-user:" + auth.getUserId());
    if (auth.getGroupIds() != null) auth.getGroupIds().stream().limit(MAX_ACTOR_GROUPS - 1).forEach(groups::add);
    return groups;
  }

  private List<String> approvalActorGroups(CommandContext commandContext, HistoricTaskInstanceEventEntity event) {
    String executionId = event.getExecutionId() != null ? event.getExecutionId() : event.getProcessInstanceId();
    if (executionId == null || event.getTaskDefinitionKey() == null) return null;
    ExecutionEntity execution = commandContext.getExecutionManager().findExecutionById(executionId);
    if (execution == null) return null;
    Object value = execution.getVariable(event.getTaskDefinitionKey() + "ActorGroups");
    if (!(value instanceof String text) || text.length() > 20_000) return null;
    try {
      JsonNode node = json.readTree(text);
      if (node == null || !event.getTaskId().equals(node.path("taskId").asText(null)) || !node.path("groups").isArray()) return null;
      List<String> groups = new ArrayList<>();
      for (JsonNode g : node.path("groups")) {
        if (g.isTextual() && groups.size() < MAX_ACTOR_GROUPS) groups.add(g.asText());
      }
      return groups;
    } catch (Exception e) {
      log.debug("ignoring an unreadable {}ActorGroups variable on task {}", event.getTaskDefinitionKey(), event.getTaskId(), e);
      return null;
    }
  }

  /** The value of the step's timeLimitVariable as its execution sees it (scopes walked up), or null. */
  static Object limitVariable(CommandContext commandContext, HistoricTaskInstanceEventEntity event, StepModelCache.StepModel step) {
    if (step.timeLimitVariable() == null || commandContext == null) return null;
    String executionId = event.getExecutionId() != null ? event.getExecutionId() : event.getProcessInstanceId();
    if (executionId == null) return null;
    ExecutionEntity execution = commandContext.getExecutionManager().findExecutionById(executionId);
    return execution == null ? null : execution.getVariable(step.timeLimitVariable());
  }

  OutboxRow processEvent(HistoricProcessInstanceEventEntity event, String type) {
    String businessKey = event.getBusinessKey();
    if (businessKey == null && event.getRootProcessInstanceId() != null
        && !event.getRootProcessInstanceId().equals(event.getProcessInstanceId())) {
      businessKey = businessKeyOf(Context.getCommandContext(), event.getRootProcessInstanceId());
    }
    boolean ended = PROCESS_ENDED.equals(type);
    Date startedAt = processStartedAt(event);
    ObjectNode data = json.createObjectNode();
    data.put("processInstanceId", event.getProcessInstanceId());
    data.put("processDefinitionId", event.getProcessDefinitionId());
    data.put("processDefinitionKey", event.getProcessDefinitionKey());
    data.put("businessKey", businessKey);
    data.put("startedAt", iso(startedAt));
    data.put("endedAt", ended ? iso(event.getEndTime()) : null);
    data.put("deleteReason", ended ? event.getDeleteReason() : null);
    data.put("state", event.getState());
    data.put("superProcessInstanceId", event.getSuperProcessInstanceId());
    data.put("tenantId", event.getTenantId());
    return row(PROCESS_TOPIC, type, event.getProcessInstanceId(), subject(businessKey, event.getProcessInstanceId()),
        ended ? event.getEndTime() : startedAt, event.getTenantId(), data);
  }

  OutboxRow row(String topic, String type, String entityId, String subject, Date time, String tenantId, ObjectNode data) {
    UUID id = eventId(entityId, type);
    ObjectNode envelope = json.createObjectNode();
    envelope.put("specversion", "1.0");
    envelope.put("id", id.toString());
    envelope.put("source", SOURCE);
    envelope.put("type", type);
    envelope.put("time", iso(time != null ? time : new Date()));
    envelope.put("subject", subject);
    envelope.put("datacontenttype", "application/json");
    if (tenantId != null) envelope.put("tenantid", tenantId);
    envelope.set("data", data);
    try {
      return new OutboxRow(id, topic, subject, type, json.writeValueAsString(envelope));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ProcessEngineException("outbox: could not serialise " + type + " for " + entityId, e);
    }
  }

  /** Same logical event, same id: "taskId|type" or "processInstanceId|type". */
  public static UUID eventId(String entityId, String type) {
    return UUID.nameUUIDFromBytes((entityId + "|" + type).getBytes(StandardCharsets.UTF_8));
  }

  void write(OutboxRow row) {
    CommandContext commandContext = Context.getCommandContext();
    if (commandContext == null) throw new ProcessEngineException("outbox: no command context for " + row.type());
    // the engine's own connection: the row shares the engine's transaction
    Connection connection = commandContext.getDbSqlSession().getSqlSession().getConnection();
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setObject(1, row.id());
      insert.setString(2, row.topic());
      insert.setString(3, row.key());
      insert.setString(4, row.type());
      insert.setString(5, row.payload());
      insert.setString(6, HEADERS);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new ProcessEngineException("outbox: could not write " + row.type() + " " + row.id() + ": " + e.getMessage(), e);
    }
  }

  static String subject(String businessKey, String processInstanceId) {
    return businessKey != null && !businessKey.isEmpty() ? businessKey : processInstanceId;
  }

  static String iso(Date date) {
    return date == null ? null : ISO_MILLIS.format(date.toInstant());
  }

  /**
   * Completion and deletion events get their start time from the default DB handler, which runs first (see
   * OutboxPlugin); if it did not, look it up.
   */
  static Date taskOpenedAt(CommandContext commandContext, HistoricTaskInstanceEventEntity event) {
    Date derived = startOf(event);
    if (derived != null) return derived;
    log.debug("outbox: looking up the start time of task {}", event.getTaskId());
    HistoricTaskInstanceEntity historic =
        commandContext.getHistoricTaskInstanceManager().findHistoricTaskInstanceById(event.getTaskId());
    if (historic != null && historic.getStartTime() != null) return historic.getStartTime();
    TaskEntity task = commandContext.getTaskManager().findTaskById(event.getTaskId());
    return task != null ? task.getCreateTime() : null;
  }

  static Date processStartedAt(HistoricProcessInstanceEventEntity event) {
    Date derived = startOf(event);
    if (derived != null) return derived;
    log.debug("outbox: looking up the start time of process instance {}", event.getProcessInstanceId());
    HistoricProcessInstanceEntity historic = Context.getCommandContext().getHistoricProcessInstanceManager()
        .findHistoricProcessInstance(event.getProcessInstanceId());
    return historic != null ? historic.getStartTime() : null;
  }

  static Date startOf(HistoricScopeInstanceEvent event) {
    if (event.getStartTime() != null) return event.getStartTime();
    if (event.getEndTime() != null && event.getDurationInMillis() != null) {
      return new Date(event.getEndTime().getTime() - event.getDurationInMillis());
    }
    return null;
  }

  /** The case number: the process instance's business key, else its root process instance's. */
  static String businessKey(CommandContext commandContext, String processInstanceId, String rootProcessInstanceId) {
    String key = businessKeyOf(commandContext, processInstanceId);
    if (key == null && rootProcessInstanceId != null && !rootProcessInstanceId.equals(processInstanceId)) {
      key = businessKeyOf(commandContext, rootProcessInstanceId);
    }
    return key;
  }

  static String businessKeyOf(CommandContext commandContext, String processInstanceId) {
    if (processInstanceId == null) return null;
    // served from the command's entity cache in the normal case; one SELECT otherwise
    ExecutionEntity instance = commandContext.getExecutionManager().findExecutionById(processInstanceId);
    if (instance != null) return instance.getBusinessKey();
    HistoricProcessInstanceEntity historic =
        commandContext.getHistoricProcessInstanceManager().findHistoricProcessInstance(processInstanceId);
    return historic != null ? historic.getBusinessKey() : null;
  }

  /** Candidate groups of a task whose model uses an expression: the links the engine resolved for this task. */
  static List<String> runtimeCandidateGroups(CommandContext commandContext, String taskId) {
    TaskEntity task = commandContext.getTaskManager().findTaskById(taskId);
    if (task == null) return List.of();
    Set<String> groups = new LinkedHashSet<>();
    for (IdentityLinkEntity link : task.getIdentityLinks()) {
      if (IdentityLinkType.CANDIDATE.equals(link.getType()) && link.getGroupId() != null) groups.add(link.getGroupId());
    }
    return List.copyOf(groups);
  }
}
