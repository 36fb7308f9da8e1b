package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.RespSocket.Verbatim;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ClientAttributeOption;
import redis.clients.jedis.exceptions.JedisDataException;

class ConnectionCommandsTest {
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
  private static final String NOAUTH = "NOAUTH Authentication required.";
  private static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";

  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void flush() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      jedis.flushAll();
    }
  }

  private static RespSocket raw() {
    return RespSocket.connect(server.port());
  }

  private static long clientId(RespSocket socket) {
    return (Long) socket.call("CLIENT", "ID");
  }

  private static String clientInfo(RespSocket socket) {
    Object info = socket.call("CLIENT", "INFO");
    return info instanceof Verbatim v ? v.text() : (String) info;
  }

  /** One field of a CLIENT INFO / CLIENT LIST line, e.g. {@code field(line, "db")}. */
  private static String field(String line, String name) {
    Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(name) + "=(\\S*)").matcher(line);
    assertTrue(m.find(), () -> "no " + name + "= in " + line);
    return m.group(1);
  }

  private static List<Object> helloFields(String proto, long id) {
    return List.of(
        "server",
        "redis",
        "version",
        "7.4.0",
        "proto",
        Long.parseLong(proto),
        "id",
        id,
        "mode",
        "standalone",
        "role",
        "master",
        "modules",
        List.of());
  }

  // ---- HELLO ----

  @Test
  void hello_noArguments_repliesFlatArrayWithProtocolTwo() {
    try (RespSocket c = raw()) {
      long id = clientId(c);

      assertEquals(helloFields("2", id), c.call("HELLO"));
    }
  }

  @Test
  void hello_2_repliesFlatArray() {
    try (RespSocket c = raw()) {
      long id = clientId(c);

      assertEquals(helloFields("2", id), c.call("HELLO", "2"));
      assertEquals(Nil.BULK, c.call("GET", "missing"));
    }
  }

  @Test
  void hello_3_repliesMapAndSwitchesToResp3() {
    try (RespSocket c = raw()) {
      long id = clientId(c);

      Object reply = c.call("HELLO", "3");

      Map<?, ?> map = assertInstanceOf(Map.class, reply);
      assertEquals(7, map.size());
      assertEquals("redis", map.get("server"));
      assertEquals("7.4.0", map.get("version"));
      assertEquals(3L, map.get("proto"));
      assertEquals(id, map.get("id"));
      assertEquals("standalone", map.get("mode"));
      assertEquals("master", map.get("role"));
      assertEquals(List.of(), map.get("modules"));
      assertEquals(Nil.NULL, c.call("GET", "missing"));
      assertEquals("3", field(clientInfo(c), "resp"));
    }
  }

  @Test
  void hello_3Then2_goesBackToResp2() {
    try (RespSocket c = raw()) {
      c.call("HELLO", "3");

      assertInstanceOf(List.class, c.call("HELLO", "2"));
      assertEquals(Nil.BULK, c.call("GET", "missing"));
    }
  }

  @Test
  void hello_noArgumentsAfterHello3_staysResp3() {
    try (RespSocket c = raw()) {
      c.call("HELLO", "3");

      Map<?, ?> map = assertInstanceOf(Map.class, c.call("HELLO"));
      assertEquals(3L, map.get("proto"));
    }
  }

  @Test
  void hello_4_isRefusedAndProtocolUnchanged() {
    try (RespSocket c = raw()) {
      assertEquals(new Err("NOPROTO unsupported protocol version"), c.call("HELLO", "4"));
      assertEquals(new Err("NOPROTO unsupported protocol version"), c.call("HELLO", "1"));
      assertEquals(Nil.BULK, c.call("GET", "missing"));
    }
  }

  @Test
  void hello_protocolNotANumber_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR Protocol version is not an integer or out of range"),
          c.call("HELLO", "three"));
    }
  }

  @Test
  void hello_unknownOption_isSyntaxError() {
    try (RespSocket c = raw()) {
      assertEquals(new Err("ERR Syntax error in HELLO option 'foo'"), c.call("HELLO", "3", "foo"));
      assertEquals(Nil.BULK, c.call("GET", "missing"));
    }
  }

  @Test
  void hello_setname_namesConnection() {
    try (RespSocket c = raw()) {
      assertInstanceOf(Map.class, c.call("HELLO", "3", "SETNAME", "x"));

      assertEquals("x", c.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void hello_setnameWithSpace_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR Client names cannot contain spaces, newlines or special characters."),
          c.call("HELLO", "3", "SETNAME", "a b"));
      assertEquals(Nil.BULK, c.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void jedisResp3_handshakesAndTalks() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP3)) {
      assertEquals("PONG", jedis.ping());
      jedis.set("k", "v");
      assertEquals("v", jedis.get("k"));
      assertEquals("3", field(jedis.clientInfo(), "resp"));
    }
  }

  // ---- AUTH without a password ----

  @Test
  void auth_withoutConfiguredPassword_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err(
              "ERR AUTH <password> called without any password configured for the default user."
                  + " Are you sure your configuration is correct?"),
          c.call("AUTH", "secret"));
    }
  }

  @Test
  void auth_defaultUserWithoutConfiguredPassword_acceptsAnyPassword() {
    try (RespSocket c = raw()) {
      assertEquals(new Simple("OK"), c.call("AUTH", "default", "anything"));
      assertEquals(new Err(WRONGPASS), c.call("AUTH", "nobody", "anything"));
    }
  }

  // ---- PING, ECHO, QUIT ----

  @Test
  void ping_withoutMessage_isSimplePong() {
    try (RespSocket c = raw()) {
      assertEquals(new Simple("PONG"), c.call("PING"));
      c.call("HELLO", "3");
      assertEquals(new Simple("PONG"), c.call("PING"));
    }
  }

  @Test
  void ping_withMessage_echoesBulk() {
    try (RespSocket c = raw()) {
      assertEquals("hello world", c.call("PING", "hello world"));
      assertEquals(
          new Err("ERR wrong number of arguments for 'ping' command"), c.call("PING", "a", "b"));
    }
  }

  @Test
  void echo_binary_returnsSameBytes() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      assertArrayEquals(all, jedis.echo(all));
      assertArrayEquals(new byte[0], jedis.echo(new byte[0]));
    }
  }

  @Test
  void echo_wrongArity_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(new Err("ERR wrong number of arguments for 'echo' command"), c.call("ECHO"));
    }
  }

  @Test
  void quit_repliesOkAndCloses() {
    try (RespSocket c = raw()) {
      assertEquals(new Simple("OK"), c.call("QUIT"));
      assertTrue(c.closedWithin(CLOSE_BOUND));
    }
  }

  // ---- SELECT ----

  @Test
  void select_eachOfSixteenDatabases_isSeparate() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      for (int db = 0; db < 16; db++) {
        assertEquals("OK", jedis.select(db));
        jedis.set("k", "v" + db);
        jedis.set("only-in-" + db, "x");
      }
      for (int db = 0; db < 16; db++) {
        jedis.select(db);
        assertEquals("v" + db, jedis.get("k"));
        assertEquals(2, jedis.dbSize());
        assertEquals("x", jedis.get("only-in-" + db));
        assertNull(jedis.get("only-in-" + ((db + 1) % 16)));
      }
    }
  }

  @Test
  void select_outOfRange_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(new Err("ERR DB index is out of range"), c.call("SELECT", "16"));
      assertEquals(new Err("ERR DB index is out of range"), c.call("SELECT", "-1"));
      assertEquals(new Err("ERR value is not an integer or out of range"), c.call("SELECT", "one"));
      assertEquals("0", field(clientInfo(c), "db"));
    }
  }

  // ---- RESET ----

  @Test
  void reset_restoresDefaultsOfConnection() {
    try (RespSocket c = raw()) {
      c.call("HELLO", "3");
      c.call("SELECT", "5");
      c.call("SET", "in5", "x");
      c.call("CLIENT", "SETNAME", "before-reset");
      c.call("CLIENT", "NO-EVICT", "on");

      assertEquals(new Simple("RESET"), c.call("RESET"));

      assertEquals(Nil.BULK, c.call("GET", "in5"));
      assertEquals(Nil.BULK, c.call("CLIENT", "GETNAME"));
      String info = clientInfo(c);
      assertEquals("0", field(info, "db"));
      assertEquals("2", field(info, "resp"));
      assertEquals("N", field(info, "flags"));
      assertEquals(0L, c.call("DBSIZE"));
    }
  }

  // ---- CLIENT ----

  @Test
  void clientId_isPositiveAndDistinctPerConnection() {
    try (RespSocket a = raw();
        RespSocket b = raw()) {
      long idA = clientId(a);
      long idB = clientId(b);

      assertTrue(idA > 0);
      assertTrue(idB > idA, "later connection has a larger id");
      assertEquals(idA, clientId(a));
      assertEquals(String.valueOf(idA), field(clientInfo(a), "id"));
    }
  }

  @Test
  void clientList_subscriptionsTransactionAndWatches_countedAsRedis() {
    try (RespSocket watched = raw();
        RespSocket subscriber = raw();
        RespSocket observer = raw()) {
      assertEquals("N", field(clientInfo(watched), "flags"));
      watched.call("WATCH", "a", "b");
      watched.call("MULTI");
      watched.call("SET", "x", "1");
      subscriber.call("HELLO", "3");
      subscriber.call("SUBSCRIBE", "c1"); // one channel per call: one reply each, so every
      subscriber.call("SUBSCRIBE", "c2"); // subscription is in place once its call returns
      subscriber.call("PSUBSCRIBE", "p*");
      subscriber.call("SSUBSCRIBE", "s1");
      observer.call("SET", "a", "changed"); // a WATCHed key changed: flag d

      String list = String.valueOf(observer.call("CLIENT", "LIST"));
      String inMulti = line(list, clientIdOf(list, 0));
      assertEquals("xd", field(inMulti, "flags"));
      assertEquals("1", field(inMulti, "multi"));
      assertEquals("2", field(inMulti, "watch"));
      String subscribed = line(list, clientIdOf(list, 1));
      assertEquals("P", field(subscribed, "flags"));
      assertEquals("2", field(subscribed, "sub"));
      assertEquals("1", field(subscribed, "psub"));
      assertEquals("1", field(subscribed, "ssub"));
      assertEquals("-1", field(subscribed, "multi"));
    }
  }

  /** The id of the {@code index}-th client of a CLIENT LIST reply (connection order). */
  private static String clientIdOf(String list, int index) {
    return field(list.lines().toList().get(index), "id");
  }

  private static String line(String list, String id) {
    return list.lines().filter(l -> l.startsWith("id=" + id + " ")).findFirst().orElseThrow();
  }

  @Test
  void clientSetname_thenGetname_returnsName() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      assertNull(jedis.clientGetname());
      assertEquals("OK", jedis.clientSetname("conn-a"));
      assertEquals("conn-a", jedis.clientGetname());
      assertEquals("conn-a", field(jedis.clientInfo(), "name"));
      jedis.clientSetname("");
      assertNull(jedis.clientGetname());
    }
  }

  @Test
  void clientSetname_withSpaceOrNewline_isRefused() {
    String expected = "ERR Client names cannot contain spaces, newlines or special characters.";
    try (RespSocket c = raw()) {
      assertEquals(new Err(expected), c.call("CLIENT", "SETNAME", "my name"));
      assertEquals(new Err(expected), c.call("CLIENT", "SETNAME", "line\nbreak"));
      assertEquals(Nil.BULK, c.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void clientSetname_wrongArity_namesSubcommand() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR wrong number of arguments for 'client|setname' command"),
          c.call("CLIENT", "SETNAME"));
      assertEquals(
          new Err("ERR wrong number of arguments for 'client|setname' command"),
          c.call("CLIENT", "SETNAME", "a", "b"));
      assertEquals(new Err("ERR wrong number of arguments for 'client' command"), c.call("CLIENT"));
    }
  }

  @Test
  void client_unknownSubcommand_pointsToHelp() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR unknown subcommand 'foo'. Try CLIENT HELP."), c.call("CLIENT", "foo"));
    }
  }

  @Test
  void clientSetinfo_libNameAndVersion_showInClientInfo() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      assertEquals("OK", jedis.clientSetInfo(ClientAttributeOption.LIB_NAME, "mylib"));
      assertEquals("OK", jedis.clientSetInfo(ClientAttributeOption.LIB_VER, "1.2.3"));

      String info = jedis.clientInfo();
      assertEquals("mylib", field(info, "lib-name"));
      assertEquals("1.2.3", field(info, "lib-ver"));
    }
  }

  @Test
  void clientSetinfo_badValueOrAttribute_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR lib-name cannot contain spaces, newlines or special characters."),
          c.call("CLIENT", "SETINFO", "lib-name", "my lib"));
      assertEquals(
          new Err("ERR Unrecognized option 'foo'"), c.call("CLIENT", "SETINFO", "foo", "bar"));
    }
  }

  @Test
  void clientList_describesEveryConnection() {
    try (RespSocket a = raw();
        RespSocket b = raw()) {
      a.call("CLIENT", "SETNAME", "alpha");
      a.call("CLIENT", "SETINFO", "LIB-NAME", "alphalib");
      a.call("SELECT", "3");
      long idA = clientId(a);
      long idB = clientId(b);

      String list = (String) b.call("CLIENT", "LIST");

      String lineA = null;
      String lineB = null;
      for (String line : list.split("\n")) {
        if (field(line, "id").equals(String.valueOf(idA))) {
          lineA = line;
        } else if (field(line, "id").equals(String.valueOf(idB))) {
          lineB = line;
        }
      }
      assertTrue(lineA != null && lineB != null, list);
      assertEquals("alpha", field(lineA, "name"));
      assertEquals("3", field(lineA, "db"));
      assertEquals("alphalib", field(lineA, "lib-name"));
      assertEquals("client|id", field(lineA, "cmd"));
      assertEquals("client|list", field(lineB, "cmd"), "the running command, as Redis shows");
      assertEquals("default", field(lineA, "user"));
      assertEquals("", field(lineB, "name"));
      assertEquals("0", field(lineB, "db"));
      assertTrue(list.endsWith("\n"));
    }
  }

  @Test
  void clientList_byId_listsOnlyThatClient() {
    try (RespSocket a = raw();
        RespSocket b = raw()) {
      long idA = clientId(a);

      String list = (String) b.call("CLIENT", "LIST", "ID", String.valueOf(idA));

      assertEquals(1, list.split("\n").length);
      assertEquals(String.valueOf(idA), field(list, "id"));
    }
  }

  @Test
  void clientInfo_isOneLineAboutThisConnection() {
    try (RespSocket c = raw()) {
      long id = clientId(c);

      Object reply = c.call("CLIENT", "INFO");

      String info = assertInstanceOf(String.class, reply);
      assertTrue(info.endsWith("\n"));
      assertEquals(1, info.split("\n").length);
      assertEquals(String.valueOf(id), field(info, "id"));
      assertTrue(field(info, "addr").startsWith("127.0.0.1:"));
      assertEquals("127.0.0.1:" + server.port(), field(info, "laddr"));
      assertEquals("client|info", field(info, "cmd"));
    }
  }

  @Test
  void clientInfo_inResp3_isVerbatimText() {
    try (RespSocket c = raw()) {
      c.call("HELLO", "3");

      Verbatim info = assertInstanceOf(Verbatim.class, c.call("CLIENT", "INFO"));

      assertEquals("txt", info.format());
      assertEquals("3", field(info.text(), "resp"));
    }
  }

  @Test
  void clientKill_idOfOtherConnection_closesIt() {
    try (RespSocket killer = raw();
        RespSocket victim = raw()) {
      long victimId = clientId(victim);

      assertEquals(1L, killer.call("CLIENT", "KILL", "ID", String.valueOf(victimId)));

      assertTrue(victim.closedWithin(CLOSE_BOUND), "killed connection is closed");
      assertTrue(
          eventually(
              () -> !((String) killer.call("CLIENT", "LIST")).contains("id=" + victimId + " ")),
          "killed client leaves CLIENT LIST");
      assertEquals(new Simple("PONG"), killer.call("PING"));
    }
  }

  @Test
  void clientKill_ownIdIsSkippedByDefault() {
    try (RespSocket c = raw()) {
      long id = clientId(c);

      assertEquals(0L, c.call("CLIENT", "KILL", "ID", String.valueOf(id)));
      assertEquals(new Simple("PONG"), c.call("PING"));
      assertEquals(1L, c.call("CLIENT", "KILL", "ID", String.valueOf(id), "SKIPME", "no"));
      assertTrue(c.closedWithin(CLOSE_BOUND));
    }
  }

  @Test
  void clientKill_unknownOrBadId_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(0L, c.call("CLIENT", "KILL", "ID", "999999"));
      assertEquals(
          new Err("ERR client-id should be greater than 0"), c.call("CLIENT", "KILL", "ID", "x"));
    }
  }

  @Test
  void clientKill_address_closesThatConnection() {
    try (RespSocket killer = raw();
        RespSocket victim = raw()) {
      String addr = field(clientInfo(victim), "addr");

      assertEquals(new Simple("OK"), killer.call("CLIENT", "KILL", addr));

      assertTrue(victim.closedWithin(CLOSE_BOUND));
      assertEquals(new Err("ERR No such client"), killer.call("CLIENT", "KILL", "1.2.3.4:5"));
    }
  }

  @Test
  void clientNoEvict_onAndOff_setsFlag() {
    try (RespSocket c = raw()) {
      assertEquals(new Simple("OK"), c.call("CLIENT", "NO-EVICT", "on"));
      assertEquals("e", field(clientInfo(c), "flags"));
      assertEquals(new Simple("OK"), c.call("CLIENT", "NO-EVICT", "OFF"));
      assertEquals("N", field(clientInfo(c), "flags"));
      assertEquals(new Err("ERR syntax error"), c.call("CLIENT", "NO-EVICT", "maybe"));
    }
  }

  @Test
  void clientHelp_listsSubcommands() {
    try (RespSocket c = raw()) {
      List<?> help = assertInstanceOf(List.class, c.call("CLIENT", "HELP"));

      assertEquals(
          new Simple("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
          help.get(0));
      List<String> lines = new ArrayList<>();
      for (Object line : help) {
        lines.add(assertInstanceOf(Simple.class, line).text());
      }
      for (String sub : List.of("ID", "SETNAME", "GETNAME", "LIST", "INFO", "KILL", "HELP")) {
        assertTrue(
            lines.stream().anyMatch(l -> l.equals(sub) || l.startsWith(sub + " ")),
            sub + " in " + lines);
      }
    }
  }

  @Test
  void jedisClientKill_byIdParams_returnsCount() {
    try (Jedis killer = server.jedis(RedisProtocol.RESP2);
        Jedis victim = server.jedis(RedisProtocol.RESP3)) {
      long id = victim.clientId();

      assertEquals(
          1L, killer.clientKill(new redis.clients.jedis.params.ClientKillParams().id(id + "")));
      assertTrue(
          eventually(
              () -> {
                try {
                  victim.ping();
                  return false;
                } catch (RuntimeException e) {
                  return true;
                }
              }),
          "killed Jedis connection fails");
    }
  }

  /** Re-checks {@code condition} (each check is a round trip) for at most five seconds. */
  static boolean eventually(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.onSpinWait();
    }
    return condition.getAsBoolean();
  }

  // ---- a server with requirepass ----

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithPassword {
    private TestServer secured;

    @BeforeAll
    void start() {
      secured = TestServer.start(b -> b.set(Settings.REQUIREPASS, "secret"));
    }

    @AfterAll
    void stop() {
      secured.close();
    }

    private RespSocket connect() {
      return RespSocket.connect(secured.port());
    }

    @Test
    void commands_beforeAuth_areRefusedWithNoauth() {
      try (RespSocket c = connect()) {
        assertEquals(new Err(NOAUTH), c.call("PING"));
        assertEquals(new Err(NOAUTH), c.call("GET", "k"));
        assertEquals(new Err(NOAUTH), c.call("SELECT", "1"));
        assertEquals(new Err(NOAUTH), c.call("CLIENT", "ID"));
      }
    }

    @Test
    void unknownCommand_beforeAuth_isUnknownCommandError() {
      try (RespSocket c = connect()) {
        assertEquals(
            new Err("ERR unknown command 'FOO', with args beginning with: "), c.call("FOO"));
        assertEquals(new Err("ERR wrong number of arguments for 'get' command"), c.call("GET"));
      }
    }

    @Test
    void auth_wrongPassword_isWrongpassAndStaysUnauthenticated() {
      try (RespSocket c = connect()) {
        assertEquals(new Err(WRONGPASS), c.call("AUTH", "wrong"));
        assertEquals(new Err(WRONGPASS), c.call("AUTH", "default", "wrong"));
        assertEquals(new Err(WRONGPASS), c.call("AUTH", "nobody", "secret"));
        assertEquals(new Err(NOAUTH), c.call("PING"));
      }
    }

    @Test
    void auth_passwordOnly_authenticates() {
      try (RespSocket c = connect()) {
        assertEquals(new Simple("OK"), c.call("AUTH", "secret"));
        assertEquals(new Simple("PONG"), c.call("PING"));
      }
    }

    @Test
    void auth_defaultUserAndPassword_authenticates() {
      try (RespSocket c = connect()) {
        assertEquals(new Simple("OK"), c.call("AUTH", "default", "secret"));
        assertEquals(new Simple("PONG"), c.call("PING"));
        assertEquals("default", field(clientInfo(c), "user"));
      }
    }

    @Test
    void auth_tooManyArguments_isSyntaxError() {
      try (RespSocket c = connect()) {
        assertEquals(new Err("ERR syntax error"), c.call("AUTH", "a", "b", "c"));
      }
    }

    @Test
    void hello_withoutAuth_isRefusedWithHelloNoauth() {
      String expected =
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO"
              + " <proto> AUTH <user> <pass> option can be used to authenticate the client and"
              + " select the RESP protocol version at the same time";
      try (RespSocket c = connect()) {
        assertEquals(new Err(expected), c.call("HELLO"));
        assertEquals(new Err(expected), c.call("HELLO", "3"));
        assertEquals(new Err(NOAUTH), c.call("PING"));
      }
    }

    @Test
    void hello_3WithAuth_authenticatesAndSwitchesProtocol() {
      try (RespSocket c = connect()) {
        Map<?, ?> hello =
            assertInstanceOf(Map.class, c.call("HELLO", "3", "AUTH", "default", "secret"));

        assertEquals(3L, hello.get("proto"));
        assertEquals(new Simple("PONG"), c.call("PING"));
        assertEquals(Nil.NULL, c.call("GET", "missing"));
      }
    }

    @Test
    void hello_3WithWrongAuth_isWrongpassAndKeepsResp2() {
      try (RespSocket c = connect()) {
        assertEquals(new Err(WRONGPASS), c.call("HELLO", "3", "AUTH", "default", "nope"));
        assertEquals(new Err(NOAUTH), c.call("GET", "missing"));
      }
    }

    @Test
    void hello_authAndSetname_doBoth() {
      try (RespSocket c = connect()) {
        c.call("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "authed");

        assertEquals("authed", c.call("CLIENT", "GETNAME"));
      }
    }

    @Test
    void reset_afterAuth_requiresAuthAgain() {
      try (RespSocket c = connect()) {
        c.call("AUTH", "secret");

        assertEquals(new Simple("RESET"), c.call("RESET"));

        assertEquals(new Err(NOAUTH), c.call("PING"));
      }
    }

    @Test
    void quit_beforeAuth_isAllowed() {
      try (RespSocket c = connect()) {
        assertEquals(new Simple("OK"), c.call("QUIT"));
        assertTrue(c.closedWithin(CLOSE_BOUND));
      }
    }

    @Test
    void jedisWithPassword_authenticatesInResp2AndResp3() {
      for (RedisProtocol protocol : List.of(RedisProtocol.RESP2, RedisProtocol.RESP3)) {
        try (Jedis jedis =
            new Jedis(
                new HostAndPort("127.0.0.1", secured.port()),
                DefaultJedisClientConfig.builder()
                    .protocol(protocol)
                    .password("secret")
                    .timeoutMillis(10_000)
                    .build())) {
          assertEquals("PONG", jedis.ping(), protocol.name());
        }
      }
    }

    @Test
    void jedisWithoutPassword_getsNoauth() {
      try (Jedis jedis = new Jedis("127.0.0.1", secured.port())) {
        JedisDataException e = assertThrows(JedisDataException.class, jedis::ping);
        assertEquals(NOAUTH, e.getMessage());
      }
      JedisDataException hello =
          assertThrows(JedisDataException.class, () -> secured.jedis(RedisProtocol.RESP3).close());
      assertTrue(hello.getMessage().startsWith("NOAUTH HELLO must be called"), hello.getMessage());
    }
  }

  // ---- a server with maxclients 2 ----

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithMaxclients {
    private TestServer limited;

    @BeforeAll
    void start() {
      limited = TestServer.start(b -> b.set(Settings.MAXCLIENTS, 2));
    }

    @AfterAll
    void stop() {
      limited.close();
    }

    /**
     * A connection the server accepted; retried for a bounded time because clients of an earlier
     * test may still be on their way out.
     */
    private RespSocket accepted() {
      long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
      while (true) {
        RespSocket socket = RespSocket.connect(limited.port());
        try {
          if (new Simple("PONG").equals(socket.call("PING"))) {
            return socket;
          }
        } catch (RuntimeException e) {
          // refused and closed: try again
        }
        socket.close();
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no connection accepted within " + CLOSE_BOUND);
        }
      }
    }

    @Test
    void connect_beyondMaxclients_isRefusedAndClosed() {
      try (RespSocket first = accepted();
          RespSocket second = accepted()) {

        try (RespSocket third = RespSocket.connect(limited.port())) {
          assertEquals(new Err("ERR max number of clients reached"), third.read());
          assertTrue(third.closedWithin(CLOSE_BOUND));
        }
        assertEquals(new Simple("PONG"), first.call("PING"));
        assertNotEquals(clientId(first), clientId(second));
      }
    }

    @Test
    void connect_afterAClientLeft_isAccepted() {
      try (RespSocket first = accepted()) {
        RespSocket second = accepted();
        try (RespSocket third = RespSocket.connect(limited.port())) {
          assertEquals(new Err("ERR max number of clients reached"), third.read());
        }
        second.close();

        try (RespSocket again = accepted()) {
          assertEquals(new Simple("PONG"), again.call("PING"));
        }
        assertEquals(new Simple("PONG"), first.call("PING"));
      }
    }
  }
}
