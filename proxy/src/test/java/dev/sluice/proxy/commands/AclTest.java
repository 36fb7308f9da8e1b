package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.config.UserConfig;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.acl.Acl;
import dev.sluice.proxy.acl.AclRules;
import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * Users and roles over RESP: AUTH and HELLO AUTH as named users, each role's allowed and refused
 * commands with Redis's NOPERM text, and the ACL commands' replies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclTest {
  private static final String NOAUTH = "NOAUTH Authentication required.";
  private static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";

  private TestServer server;

  static UserConfig user(String name, String password, Role role, boolean enabled) {
    return new UserConfig(
        name, List.of(UserConfig.sha256Hex(password)), false, role, enabled, null, "users[0]");
  }

  @BeforeAll
  void start() {
    server =
        TestServer.start(
            b ->
                b.set(Settings.REQUIREPASS, "rootpw")
                    .users(
                        List.of(
                            user("reader", "r-pw", Role.READONLY, true),
                            user("app", "a-pw", Role.APP, true),
                            user("dba", "d-pw", Role.DBA, true),
                            user("gone", "g-pw", Role.APP, false))));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private RespSocket as(String user, String password) {
    RespSocket c = RespSocket.connect(server.port());
    assertEquals(new Simple("OK"), c.call("AUTH", user, password));
    return c;
  }

  private static Err noperm(String user, String command) {
    return new Err(
        "NOPERM User " + user + " has no permissions to run the '" + command + "' command");
  }

  @Test
  void commands_beforeAuth_areRefusedWithNoauth() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      assertEquals(new Err(NOAUTH), c.call("GET", "k"));
      assertEquals(new Err(NOAUTH), c.call("ACL", "WHOAMI"));
    }
  }

  @Test
  void auth_wrongPasswordUnknownOrDisabledUser_isWrongpassAndCounted() {
    long before = server.context().stats().aclDeniedAuth.sum();
    try (RespSocket c = RespSocket.connect(server.port())) {
      assertEquals(new Err(WRONGPASS), c.call("AUTH", "app", "wrong"));
      assertEquals(new Err(WRONGPASS), c.call("AUTH", "nobody", "a-pw"));
      assertEquals(new Err(WRONGPASS), c.call("AUTH", "gone", "g-pw"));
      assertEquals(new Err(WRONGPASS), c.call("HELLO", "3", "AUTH", "app", "wrong"));
      assertEquals(new Err(NOAUTH), c.call("GET", "k"));
      assertEquals(new Simple("OK"), c.call("AUTH", "rootpw"));
      String info = infoStats(c);
      assertTrue(info.contains("acl_access_denied_auth:" + (before + 4)), info);
    }
    assertEquals(before + 4, server.context().stats().aclDeniedAuth.sum());
  }

  private static String infoStats(RespSocket c) {
    Object reply = c.call("INFO", "stats");
    return reply instanceof RespSocket.Verbatim v ? v.text() : (String) reply;
  }

  @Test
  void readonly_readsButCannotWriteOrAdminister() {
    try (RespSocket c = as("reader", "r-pw")) {
      assertEquals("reader", c.call("ACL", "WHOAMI"));
      assertInstanceOf(RespSocket.Nil.class, c.call("GET", "ro:k"));
      assertEquals(0L, c.call("EXISTS", "ro:k"));
      assertEquals(new Simple("PONG"), c.call("PING"));
      assertEquals(noperm("reader", "set"), c.call("SET", "ro:k", "v"));
      assertEquals(noperm("reader", "del"), c.call("DEL", "ro:k"));
      assertEquals(noperm("reader", "eval"), c.call("EVAL", "return 1", "0"));
      assertEquals(noperm("reader", "publish"), c.call("PUBLISH", "ch", "m"));
      assertEquals(noperm("reader", "config|set"), c.call("CONFIG", "SET", "hz", "10"));
      assertEquals(noperm("reader", "flushall"), c.call("FLUSHALL"));
    }
  }

  @Test
  void app_runsDataCommandsButNotAdministration() {
    try (RespSocket c = as("app", "a-pw")) {
      assertEquals(new Simple("OK"), c.call("SET", "app:k", "v"));
      assertEquals("v", c.call("GET", "app:k"));
      assertEquals(1L, c.call("DEL", "app:k"));
      assertEquals(1L, c.call("EVAL", "return 1", "0"));
      assertEquals(noperm("app", "flushall"), c.call("FLUSHALL"));
      assertEquals(noperm("app", "script|flush"), c.call("SCRIPT", "FLUSH"));
      assertEquals(noperm("app", "config|set"), c.call("CONFIG", "SET", "hz", "10"));
      assertEquals(noperm("app", "client|kill"), c.call("CLIENT", "KILL", "ID", "999999"));
      assertEquals(noperm("app", "sluice|pause"), c.call("SLUICE", "PAUSE"));
      assertEquals(noperm("app", "acl|setuser"), c.call("ACL", "SETUSER", "x"));
    }
  }

  @Test
  void app_scriptCallingFlushall_isRefusedLikeTheCommand() {
    try (RespSocket c = as("app", "a-pw")) {
      assertEquals(new Simple("OK"), c.call("SET", "app:kept", "v"));
      Object reply = c.call("EVAL", "return redis.call('flushall')", "0");
      assertInstanceOf(Err.class, reply);
      assertTrue(
          ((Err) reply).message().contains("no permissions to run the 'flushall' command"),
          reply.toString());
      assertEquals("v", c.call("GET", "app:kept"));
    }
  }

  @Test
  void app_commandRefusedInsideMulti_abortsTheTransaction() {
    try (RespSocket c = as("app", "a-pw")) {
      assertEquals(new Simple("OK"), c.call("MULTI"));
      assertEquals(noperm("app", "flushall"), c.call("FLUSHALL"));
      assertEquals(
          new Err("EXECABORT Transaction discarded because of previous errors."), c.call("EXEC"));
    }
  }

  @Test
  void dba_mayRunAdministration() {
    try (RespSocket c = as("dba", "d-pw")) {
      assertEquals(new Simple("OK"), c.call("CONFIG", "SET", "hz", "10"));
      assertEquals(0L, c.call("CLIENT", "KILL", "ID", "999999"));
      assertEquals(new Simple("OK"), c.call("SCRIPT", "FLUSH"));
    }
  }

  @Test
  void everyCommandOfReadonly_isNeitherWriteNorAdmin() {
    Acl acl = server.context().acl();
    boolean[] allowed = acl.rules().allowed(Role.READONLY);
    for (CommandSpec spec : server.context().commands().byId()) {
      if (allowed[spec.id()]) {
        assertFalse(spec.isWrite(), spec.fullName() + " is a write");
        boolean statusOnly = spec.fullName().equals("sluice|status");
        assertTrue(
            statusOnly || !spec.flags().contains(CommandFlag.ADMIN), spec.fullName() + " is admin");
      }
    }
    assertTrue(allowed[server.context().commands().lookup("get").id()]);
  }

  @Test
  void reset_afterAuthAsNamedUser_returnsToTheUnauthenticatedDefaultUser() {
    try (RespSocket c = as("dba", "d-pw")) {
      assertEquals(new Simple("RESET"), c.call("RESET"));
      assertEquals(new Err(NOAUTH), c.call("ACL", "WHOAMI"));
      assertEquals(new Simple("OK"), c.call("AUTH", "rootpw"));
      assertEquals("default", c.call("ACL", "WHOAMI"));
    }
  }

  @Test
  void hello_withAuthOfNamedUser_authenticatesAndSwitchesProtocol() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      Object reply = c.call("HELLO", "3", "AUTH", "reader", "r-pw");
      assertInstanceOf(java.util.Map.class, reply);
      assertEquals("reader", c.call("ACL", "WHOAMI"));
    }
  }

  @Test
  void jedisAndLettuce_authenticateAsNamedUsers() {
    try (Jedis jedis =
        new Jedis(
            new HostAndPort("127.0.0.1", server.port()),
            DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP3)
                .user("app")
                .password("a-pw")
                .build())) {
      assertEquals("OK", jedis.set("jedis:k", "v"));
      assertEquals("app", jedis.aclWhoAmI());
    }
    JedisAccessControlException e =
        assertThrows(
            JedisAccessControlException.class,
            () ->
                new Jedis(
                    new HostAndPort("127.0.0.1", server.port()),
                    DefaultJedisClientConfig.builder().user("app").password("nope").build()));
    assertEquals(WRONGPASS, e.getMessage());
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(server.port())
                .withAuthentication("reader", "r-pw".toCharArray())
                .build());
    try (StatefulRedisConnection<String, String> lettuce = client.connect()) {
      assertEquals("reader", lettuce.sync().aclWhoami());
      io.lettuce.core.RedisCommandExecutionException refused =
          assertThrows(
              io.lettuce.core.RedisCommandExecutionException.class,
              () -> lettuce.sync().set("k", "v"));
      assertEquals(
          "NOPERM User reader has no permissions to run the 'set' command", refused.getMessage());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aclListUsersGetuserCat_answerAsRedis() {
    try (RespSocket c = as("dba", "d-pw")) {
      assertEquals(List.of("app", "dba", "default", "gone", "reader"), c.call("ACL", "USERS"));
      @SuppressWarnings("unchecked")
      List<String> list = (List<String>) c.call("ACL", "LIST");
      assertEquals("user dba on #" + UserConfig.sha256Hex("d-pw") + " ~* &* +@all", list.get(1));
      assertEquals(
          "user gone off #"
              + UserConfig.sha256Hex("g-pw")
              + " ~* &* +@all -@admin -flushall -script|flush -function|flush +sluice|status",
          list.get(3));
      assertEquals(
          List.of(
              "flags",
              List.of("on"),
              "passwords",
              List.of(UserConfig.sha256Hex("r-pw")),
              "commands",
              AclRules.ROLE_RULES.get(Role.READONLY),
              "keys",
              "~*",
              "channels",
              "&*",
              "selectors",
              List.of()),
          c.call("ACL", "GETUSER", "reader"));
      assertInstanceOf(RespSocket.Nil.class, c.call("ACL", "GETUSER", "nobody"));
      assertEquals(
          List.of("discard", "exec", "multi", "unwatch", "watch"),
          ((List<?>) c.call("ACL", "CAT", "transaction")).stream().sorted().toList());
      assertEquals(21, ((List<?>) c.call("ACL", "CAT")).size());
      assertEquals(new Err("ERR Unknown category 'nosuch'"), c.call("ACL", "CAT", "nosuch"));
      assertEquals(64, ((String) c.call("ACL", "GENPASS")).length());
    }
  }

  @Test
  void aclDryrun_answersWhetherTheUserMayRunTheCommand() {
    try (RespSocket c = as("dba", "d-pw")) {
      assertEquals(new Simple("OK"), c.call("ACL", "DRYRUN", "reader", "get", "k"));
      assertEquals(
          "User reader has no permissions to run the 'set' command",
          c.call("ACL", "DRYRUN", "reader", "set", "k", "v"));
      assertEquals(
          "User app has no permissions to run the 'config|set' command",
          c.call("ACL", "DRYRUN", "app", "config", "set", "hz", "10"));
      assertEquals(
          new Err("ERR User 'nobody' not found"), c.call("ACL", "DRYRUN", "nobody", "get", "k"));
      assertEquals(
          new Err("ERR Command 'nosuch' not found"),
          c.call("ACL", "DRYRUN", "reader", "nosuch", "k"));
      assertEquals(
          new Err("ERR wrong number of arguments for 'get' command"),
          c.call("ACL", "DRYRUN", "reader", "get"));
    }
  }

  @Test
  void aclSetuser_createsUserWithRoleAndPassword() {
    try (RespSocket admin = as("dba", "d-pw")) {
      assertEquals(new Simple("OK"), admin.call("ACL", "SETUSER", "tmp1", "on", ">t-pw", "+@all"));
      try (RespSocket c = as("tmp1", "t-pw")) {
        assertEquals(new Simple("OK"), c.call("CONFIG", "SET", "hz", "10"));
        // the role changes at once for the connection already authenticated
        assertEquals(
            new Simple("OK"),
            admin.call(
                "ACL",
                "SETUSER",
                "tmp1",
                "-@admin",
                "-flushall",
                "-script|flush",
                "-function|flush",
                "+sluice|status"));
        assertEquals(noperm("tmp1", "config|set"), c.call("CONFIG", "SET", "hz", "10"));
        assertEquals(new Simple("OK"), c.call("SET", "tmp1:k", "v"));
        assertEquals(1L, admin.call("ACL", "DELUSER", "tmp1", "nobody"));
        assertTrue(c.closedWithin(Duration.ofSeconds(5)), "deleted user's connection is closed");
      }
      assertEquals(
          new Err(WRONGPASS), RespSocket.connect(server.port()).call("AUTH", "tmp1", "t-pw"));
    }
  }

  @Test
  void aclSetuser_unsupportedRules_areRefusedNotIgnored() {
    try (RespSocket admin = as("dba", "d-pw")) {
      assertEquals(
          new Err(
              "ERR Error in ACL SETUSER modifier '~cache:*': Sluice does not support per-key or"
                  + " per-channel rules; every user may use every key and channel (~* &*)"),
          admin.call("ACL", "SETUSER", "tmp2", "on", "~cache:*"));
      assertEquals(
          new Err("ERR Error in ACL SETUSER modifier 'foo': Syntax error"),
          admin.call("ACL", "SETUSER", "tmp2", "foo"));
      assertEquals(
          new Err(
              "ERR Error in ACL SETUSER modifier '+@nosuch': Unknown command or category name in"
                  + " ACL"),
          admin.call("ACL", "SETUSER", "tmp2", "+@nosuch"));
      Object partial = admin.call("ACL", "SETUSER", "tmp2", "on", "+@all", "-get");
      assertInstanceOf(Err.class, partial);
      assertTrue(
          ((Err) partial).message().startsWith("ERR Error in ACL SETUSER modifier '+@all -get':"),
          partial.toString());
      assertInstanceOf(RespSocket.Nil.class, admin.call("ACL", "GETUSER", "tmp2"));
      assertEquals(
          new Err("ERR The 'default' user cannot be removed"),
          admin.call("ACL", "DELUSER", "default"));
      assertEquals(
          new Err(
              "ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64"
                  + " characters and contain only lowercase hexadecimal characters"),
          admin.call("ACL", "SETUSER", "tmp2", "#abc"));
    }
  }

  @Test
  void aclSetuser_readonlyRulesInAnotherOrder_giveTheReadonlyRole() {
    try (RespSocket admin = as("dba", "d-pw")) {
      String[] rules = AclRules.ROLE_RULES.get(Role.READONLY).split(" ");
      String[] args = new String[4 + rules.length];
      args[0] = "ACL";
      args[1] = "SETUSER";
      args[2] = "tmp3";
      args[3] = ">p";
      System.arraycopy(rules, 0, args, 4, rules.length);
      assertEquals(new Simple("OK"), admin.call(args));
      assertEquals(new Simple("OK"), admin.call("ACL", "SETUSER", "tmp3", "on"));
      try (RespSocket c = as("tmp3", "p")) {
        assertEquals(noperm("tmp3", "set"), c.call("SET", "k", "v"));
      }
      assertEquals(1L, admin.call("ACL", "DELUSER", "tmp3"));
    }
  }
}
