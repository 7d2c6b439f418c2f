package gov.approval.engine.security;

import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The engine's users and what each may do (issue 9 §4, lock-down). With authorization checks on (every profile but
 * local), nothing reaches the engine except through these users:
 * <ul>
 *   <li><b>runtime</b> (ENGINE_REST_USER / ENGINE_REST_PASSWORD): the platform's services. Group {@value #RUNTIME_GROUP}:
 *       everything on process definitions, instances, tasks, history, batches (migration) and decisions, and only READ
 *       on deployments: it cannot deploy or delete a deployment.</li>
 *   <li><b>deploy</b> (ENGINE_DEPLOY_USER / ENGINE_DEPLOY_PASSWORD): the analysts' deploy pipeline alone. Group
 *       {@value #DEPLOY_GROUP}: create, read and delete deployments; read process definitions, read their instances and
 *       migrate them to another version; it starts and works no case.</li>
 *   <li><b>admin</b> (ENGINE_ADMIN_USER / ENGINE_ADMIN_PASSWORD, optional): a Cockpit operator, in camunda-admin.</li>
 * </ul>
 * Each user is created when missing, its password follows the environment, and the groups' global grants are made
 * once (found again by group, resource and "*"). A service user that an older version put into camunda-admin (which
 * bypasses every check) is taken out of it. Nothing happens for a variable pair left unset.
 */
@Component
public class ServiceUsersPlugin extends AbstractProcessEnginePlugin {

  static final String RUNTIME_GROUP = "gov-runtime";
  static final String DEPLOY_GROUP = "gov-deploy";

  private static final Logger log = LoggerFactory.getLogger(ServiceUsersPlugin.class);

  private static final List<Resource> RUNTIME_ALL = List.of(
      Resources.PROCESS_DEFINITION,
      Resources.PROCESS_INSTANCE,
      Resources.TASK,
      Resources.HISTORIC_TASK,
      Resources.HISTORIC_PROCESS_INSTANCE,
      Resources.BATCH,
      Resources.DECISION_DEFINITION,
      Resources.DECISION_REQUIREMENTS_DEFINITION);

  private final String runtimeUser;
  private final String runtimePassword;
  private final String deployUser;
  private final String deployPassword;
  private final String adminUser;
  private final String adminPassword;

  public ServiceUsersPlugin(
      @Value("${engine.rest.user:}") String runtimeUser,
      @Value("${engine.rest.password:}") String runtimePassword,
      @Value("${engine.deploy.user:}") String deployUser,
      @Value("${engine.deploy.password:}") String deployPassword,
      @Value("${engine.admin.user:}") String adminUser,
      @Value("${engine.admin.password:}") String adminPassword) {
    this.runtimeUser = trim(runtimeUser);
    this.runtimePassword = runtimePassword == null ? "" : runtimePassword;
    this.deployUser = trim(deployUser);
    this.deployPassword = deployPassword == null ? "" : deployPassword;
    this.adminUser = trim(adminUser);
    this.adminPassword = adminPassword == null ? "" : adminPassword;
  }

  private static String trim(String s) {
    return s == null ? "" : s.trim();
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    check("ENGINE_REST_USER", runtimeUser, runtimePassword);
    check("ENGINE_DEPLOY_USER", deployUser, deployPassword);
    check("ENGINE_ADMIN_USER", adminUser, adminPassword);
    if (!runtimeUser.isEmpty() && runtimeUser.equals(deployUser)) {
      throw new IllegalStateException("ENGINE_DEPLOY_USER must differ from ENGINE_REST_USER: only the deploy pipeline deploys");
    }
    try {
      ensureAll(engine);
    } catch (RuntimeException first) {
      // another engine node may have created the same rows at the same moment: check once more
      log.debug("engine user set-up failed, retrying once", first);
      try {
        ensureAll(engine);
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not set up the engine's service users: " + e.getMessage(), e);
      }
    }
  }

  private static void check(String variable, String user, String password) {
    if (!user.isEmpty() && password.isEmpty()) {
      throw new IllegalStateException(variable + " is set but its password variable is empty");
    }
  }

  private void ensureAll(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    AuthorizationService authorizations = engine.getAuthorizationService();
    if (!runtimeUser.isEmpty()) {
      ensureUser(identity, runtimeUser, runtimePassword);
      ensureGroup(identity, RUNTIME_GROUP, "Platform services (runtime)");
      ensureMembership(identity, runtimeUser, RUNTIME_GROUP);
      leaveAdmins(identity, runtimeUser);
      for (Resource r : RUNTIME_ALL) grant(authorizations, RUNTIME_GROUP, r, Permissions.ALL);
      grant(authorizations, RUNTIME_GROUP, Resources.DEPLOYMENT, Permissions.READ);
    }
    if (!deployUser.isEmpty()) {
      ensureUser(identity, deployUser, deployPassword);
      ensureGroup(identity, DEPLOY_GROUP, "Flow deploy pipeline");
      ensureMembership(identity, deployUser, DEPLOY_GROUP);
      leaveAdmins(identity, deployUser);
      grant(authorizations, DEPLOY_GROUP, Resources.DEPLOYMENT, Permissions.CREATE, Permissions.READ, Permissions.DELETE);
      // the pipeline also migrates running instances onto a version it deployed (dry run, then the migration)
      grant(authorizations, DEPLOY_GROUP, Resources.PROCESS_DEFINITION, Permissions.READ, Permissions.READ_INSTANCE, Permissions.MIGRATE_INSTANCE);
    }
    if (!adminUser.isEmpty()) {
      ensureUser(identity, adminUser, adminPassword);
      ensureGroup(identity, Groups.CAMUNDA_ADMIN, "Camunda Administrators");
      ensureMembership(identity, adminUser, Groups.CAMUNDA_ADMIN);
    }
  }

  private static void ensureUser(IdentityService identity, String userId, String password) {
    User user = identity.createUserQuery().userId(userId).singleResult();
    if (user == null) {
      user = identity.newUser(userId);
      user.setFirstName(userId);
      user.setLastName("service");
      user.setPassword(password);
      identity.saveUser(user);
      log.info("created engine user {}", userId);
    } else if (!identity.checkPassword(userId, password)) {
      user.setPassword(password);
      identity.saveUser(user);
      log.info("updated the password of engine user {} from the environment", userId);
    }
  }

  private static void ensureGroup(IdentityService identity, String groupId, String name) {
    if (identity.createGroupQuery().groupId(groupId).singleResult() != null) return;
    Group group = identity.newGroup(groupId);
    group.setName(name);
    group.setType(Groups.GROUP_TYPE_SYSTEM);
    identity.saveGroup(group);
  }

  private static void ensureMembership(IdentityService identity, String userId, String groupId) {
    if (identity.createUserQuery().userId(userId).memberOfGroup(groupId).count() == 0) identity.createMembership(userId, groupId);
  }

  private static void leaveAdmins(IdentityService identity, String userId) {
    if (identity.createUserQuery().userId(userId).memberOfGroup(Groups.CAMUNDA_ADMIN).count() > 0) {
      identity.deleteMembership(userId, Groups.CAMUNDA_ADMIN);
      log.warn("took service user {} out of camunda-admin (it would bypass every authorization check)", userId);
    }
  }

  private static void grant(AuthorizationService service, String groupId, Resource resource, Permission... permissions) {
    Authorization existing = service.createAuthorizationQuery()
        .groupIdIn(groupId)
        .resourceType(resource)
        .resourceId(Authorization.ANY)
        .singleResult();
    Authorization auth = existing != null ? existing : service.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
    if (existing == null) {
      auth.setGroupId(groupId);
      auth.setResource(resource);
      auth.setResourceId(Authorization.ANY);
    }
    boolean changed = existing == null;
    for (Permission p : permissions) {
      if (!auth.isPermissionGranted(p)) {
        auth.addPermission(p);
        changed = true;
      }
    }
    if (changed) service.saveAuthorization(auth);
  }
}
