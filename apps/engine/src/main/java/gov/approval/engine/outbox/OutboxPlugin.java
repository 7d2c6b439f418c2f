package gov.approval.engine.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.handler.CompositeHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.DbHistoryEventHandler;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Adds the step-event outbox beside the engine's default DB history handler and creates the outbox table at start-up.
 */
@Component
@ConditionalOnProperty(prefix = "engine.outbox", name = "enabled", havingValue = "true", matchIfMissing = true)
public class OutboxPlugin extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(OutboxPlugin.class);

  private final OutboxHistoryEventHandler handler;

  public OutboxPlugin() {
    // plain mapper: the envelope is built field by field, nothing depends on Spring's configured mapper
    this.handler = new OutboxHistoryEventHandler(new ObjectMapper(), new StepModelCache(
        id -> Context.getProcessEngineConfiguration().getDeploymentCache().findBpmnModelInstanceForProcessDefinition(id)));
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    HistoryEventHandler explicit = configuration.getHistoryEventHandler();
    if (explicit != null) {
      // someone replaced the handler: compose with theirs instead of dropping it, ours last
      configuration.setHistoryEventHandler(new CompositeHistoryEventHandler(explicit, handler));
      return;
    }
    // The engine would build CompositeDbHistoryEventHandler(custom handlers), which calls its DB handler last. Ours
    // must run after the DB handler: it completes end events with start time and duration (one SELECT the engine
    // makes anyway). So put the DB handler first ourselves and let the engine compose the list in order.
    List<HistoryEventHandler> handlers = new ArrayList<>();
    if (configuration.isEnableDefaultDbHistoryEventHandler()) {
      handlers.add(new DbHistoryEventHandler());
      configuration.setEnableDefaultDbHistoryEventHandler(false);
    }
    if (configuration.getCustomHistoryEventHandlers() != null) handlers.addAll(configuration.getCustomHistoryEventHandlers());
    handlers.add(handler);
    configuration.setCustomHistoryEventHandlers(handlers);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    String databaseType = configuration.getDatabaseType();
    if (databaseType != null && !"postgres".equals(databaseType)) {
      throw new IllegalStateException("the step-event outbox needs PostgreSQL, the engine database is " + databaseType);
    }
    OutboxSchema.create(configuration.getDataSource());
    log.info("step-event outbox ready (table outbox, topics {} and {})",
        OutboxHistoryEventHandler.STEP_TOPIC, OutboxHistoryEventHandler.PROCESS_TOPIC);
  }
}
