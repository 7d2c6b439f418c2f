package gov.approval.engine.security;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The service user the platform's own services call /engine-rest with (env ENGINE_REST_USER / ENGINE_REST_PASSWORD).
 * Created with membership of camunda-admin when missing; its password follows the environment. Nothing happens when
 * the variables are unset.
 */
@Component
public class ServiceUserPlugin extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(ServiceUserPlugin.class);

  private final String userId;
  private final String password;

  public ServiceUserPlugin(@Value("${engine.rest.user:}") String userId, @Value("${engine.rest.password:}") String password) {
    this.userId = userId == null ? "" : userId.trim();
    this.password = password == null ? "" : password;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    if (userId.isEmpty()) return;
    if (password.isEmpty()) throw new IllegalStateException("ENGINE_REST_USER is set but ENGINE_REST_PASSWORD is empty");
    try {
      ensure(engine.getIdentityService());
    } catch (RuntimeException first) {
      // another engine node may have created the same rows at the same moment: check once more
      log.debug("service user set-up failed, retrying once", first);
      try {
        ensure(engine.getIdentityService());
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not set up the engine service user from ENGINE_REST_USER '" + userId
            + "': " + e.getMessage(), e);
      }
    }
  }

  private void ensure(IdentityService identity) {
    User user = identity.createUserQuery().userId(userId).singleResult();
    if (user == null) {
      user = identity.newUser(userId);
      user.setFirstName(userId);
      user.setLastName("service");
      user.setPassword(password);
      identity.saveUser(user);
      log.info("created engine service user {}", userId);
    } else if (!identity.checkPassword(userId, password)) {
      user.setPassword(password);
      identity.saveUser(user);
      log.info("updated the password of engine service user {} from the environment", userId);
    }
    if (identity.createGroupQuery().groupId(Groups.CAMUNDA_ADMIN).singleResult() == null) {
      Group group = identity.newGroup(Groups.CAMUNDA_ADMIN);
      group.setName("Camunda Administrators");
      group.setType(Groups.GROUP_TYPE_SYSTEM);
      identity.saveGroup(group);
    }
    if (identity.createUserQuery().userId(userId).memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
      identity.createMembership(userId, Groups.CAMUNDA_ADMIN);
    }
  }
}
