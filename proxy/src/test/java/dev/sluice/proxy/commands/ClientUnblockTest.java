package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.SharedServerTest;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.args.UnblockType;

/**
 * CLIENT UNBLOCK over real sockets, as Redis's tests check it: every blocking command ends with the
 * reply its timeout gives (TIMEOUT, the default) or with -UNBLOCKED (ERROR), the unblocking client
 * gets :1 once and :0 after, the unblocked client goes on with its next command, and a command
 * CLIENT PAUSE holds is not unblocked. The arguments' errors are {@code ClientAclLogGoldenTest}'s.
 */
class ClientUnblockTest extends SharedServerTest {
  private static final String UNBLOCKED = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n";

  @AfterEach
  void closeAndFlush() {
    admin.sendCommand(() -> "CLIENT".getBytes(), "UNPAUSE");
    closeClients();
    Await.blockedClients(admin, 0);
    admin.flushAll();
  }

  static Stream<Arguments> blockingCommands() {
    return Stream.of(
        Arguments.of((Object) new String[] {"BLPOP", "l", "0"}),
        Arguments.of((Object) new String[] {"BRPOP", "l", "0"}),
        Arguments.of((Object) new String[] {"BLMOVE", "l", "m", "LEFT", "RIGHT", "0"}),
        Arguments.of((Object) new String[] {"BRPOPLPUSH", "l", "m", "0"}),
        Arguments.of((Object) new String[] {"BLMPOP", "0", "1", "l", "LEFT"}),
        Arguments.of((Object) new String[] {"BZPOPMIN", "z", "0"}),
        Arguments.of((Object) new String[] {"BZPOPMAX", "z", "0"}),
        Arguments.of((Object) new String[] {"BZMPOP", "0", "1", "z", "MIN"}),
        Arguments.of((Object) new String[] {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}),
        Arguments.of(
            (Object)
                new String[] {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"}));
  }

  /** A client blocked in {@code command}, with its id. */
  private long blockedIn(RespSocket blocked, String... command) {
    admin.sendCommand(() -> "XGROUP".getBytes(), "CREATE", "s", "g", "$", "MKSTREAM");
    long id = (Long) blocked.call("CLIENT", "ID");
    blocked.send(command);
    Await.blockedClients(admin, 1);
    return id;
  }

  private static long unblock(String... args) {
    List<String> all = new ArrayList<>(List.of("UNBLOCK"));
    all.addAll(List.of(args));
    return (Long) admin.sendCommand(() -> "CLIENT".getBytes(), all.toArray(String[]::new));
  }

  @ParameterizedTest
  @MethodSource("blockingCommands")
  void unblock_blockedCommandWithTimeout_repliesAsItsTimeoutAndOne(String[] command) {
    RespSocket blocked = client();
    long id = blockedIn(blocked, command);

    assertEquals(1, unblock(String.valueOf(id), "TIMEOUT"));

    assertEquals("*-1\r\n", blocked.readRaw());
    assertEquals(new Simple("PONG"), blocked.call("PING"));
    assertEquals(0, unblock(String.valueOf(id)));
    Await.blockedClients(admin, 0);
  }

  @ParameterizedTest
  @MethodSource("blockingCommands")
  void unblock_blockedCommandWithError_repliesUnblockedError(String[] command) {
    RespSocket blocked = client();
    long id = blockedIn(blocked, command);

    assertEquals(1, unblock(String.valueOf(id), "ERROR"));

    assertEquals(UNBLOCKED, blocked.readRaw());
    assertEquals(new Simple("PONG"), blocked.call("PING"));
  }

  @Test
  void unblock_noReason_endsAsATimeoutInResp3WithNull() {
    RespSocket blocked = client();
    blocked.call("HELLO", "3");
    long id = blockedIn(blocked, "BLPOP", "l", "0");

    assertEquals(1, unblock(String.valueOf(id)));

    assertEquals("_\r\n", blocked.readRaw());
  }

  @Test
  void unblock_thenPush_theUnblockedClientDoesNotTakeTheElement() {
    RespSocket blocked = client();
    long id = blockedIn(blocked, "BLPOP", "l", "0");
    assertEquals(1, unblock(String.valueOf(id), "ERROR"));
    assertEquals(UNBLOCKED, blocked.readRaw());

    admin.rpush("l", "a");

    assertEquals(List.of("a"), admin.lrange("l", 0, -1));
  }

  @Test
  void unblock_clientNotBlocked_zero() {
    RespSocket idle = client();
    long id = (Long) idle.call("CLIENT", "ID");

    assertEquals(0, unblock(String.valueOf(id), "ERROR"));

    assertEquals(new Simple("PONG"), idle.call("PING"));
  }

  @Test
  void unblock_commandHeldByClientPause_zeroAndStillHeld() {
    admin.sendCommand(() -> "CLIENT".getBytes(), "PAUSE", "60000", "WRITE");
    RespSocket held = client();
    long id = (Long) held.call("CLIENT", "ID");
    held.send("SET", "k", "v");
    Await.blockedClients(admin, 1);

    assertEquals(0, unblock(String.valueOf(id), "ERROR"));
    assertEquals(0, unblock(String.valueOf(id), "TIMEOUT"));

    admin.sendCommand(() -> "CLIENT".getBytes(), "UNPAUSE");
    assertEquals(new Simple("OK"), held.read());
    assertEquals("v", admin.get("k"));
  }

  @Test
  void unblock_lettuceBlpopUnblockedByJedis_errorThenTimeoutReplies() throws Exception {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> lettuce = server.lettuce(client)) {
      long id = lettuce.sync().clientId();
      RedisFuture<KeyValue<String, String>> popped = lettuce.async().blpop(0, "l");
      Await.blockedClients(admin, 1);

      assertEquals(1, admin.clientUnblock(id, UnblockType.ERROR));

      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> popped.get(5, TimeUnit.SECONDS));
      assertInstanceOf(RedisCommandExecutionException.class, failed.getCause());
      assertEquals("UNBLOCKED client unblocked via CLIENT UNBLOCK", failed.getCause().getMessage());

      RedisFuture<KeyValue<String, String>> again = lettuce.async().blpop(0, "l");
      Await.blockedClients(admin, 1);
      assertEquals(1, admin.clientUnblock(id, UnblockType.TIMEOUT));
      assertNull(again.get(5, TimeUnit.SECONDS));
    } finally {
      client.shutdown();
    }
  }
}
