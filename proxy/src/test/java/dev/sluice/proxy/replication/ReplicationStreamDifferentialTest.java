package dev.sluice.proxy.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.FakeReplica;
import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication stream itself against redis-server's: a raw-socket replica ({@link FakeReplica})
 * of each server records the commands the same client commands make them send, and the two
 * recordings must be equal once what is inherently different is normalised (times in milliseconds
 * since the epoch, and stream IDs made from them). This catches every command a primary must
 * rewrite for its replicas (INCRBYFLOAT as SET KEEPTTL, XREADGROUP as XCLAIM, LMPOP as LPOP …)
 * whatever the replica would make of the original.
 */
class ReplicationStreamDifferentialTest {
  private static final Pattern EPOCH_MILLIS = Pattern.compile("\\b1[6-9]\\d{11}\\b");

  @TempDir Path dir;
  private RealRedis redis;
  private TestServer sluice;

  @BeforeEach
  void start() {
    redis = RealRedis.start(dir, "--repl-diskless-sync", "no");
    sluice = TestServer.startOnSystemClock(settings -> settings);
  }

  @AfterEach
  void stop() {
    redis.close();
    sluice.close();
  }

  @Test
  void stream_sameCommands_sameStreamAsRedisServer() {
    List<String[]> commands = commands();
    List<String> expected = record(redis.port(), commands);
    List<String> actual = record(sluice.port(), commands);
    assertEquals(String.join("\n", expected), String.join("\n", actual));
  }

  private static List<String> record(int port, List<String[]> commands) {
    try (FakeReplica replica = FakeReplica.sync(port);
        RespSocket client = RespSocket.connect(port)) {
      for (String[] command : commands) {
        Object reply = client.call(command);
        if (reply instanceof RespSocket.Err err) {
          throw new AssertionError(String.join(" ", command) + " failed: " + err.message());
        }
      }
      try (RespSocket blocked = RespSocket.connect(port)) {
        for (String[][] scenario : servedAfterBlocking()) {
          blocked.send(scenario[0]);
          awaitBlocked(client);
          client.call(scenario[1]);
          if (blocked.read() instanceof RespSocket.Err err) {
            throw new AssertionError(String.join(" ", scenario[0]) + " failed: " + err.message());
          }
        }
      }
      client.call("SET", "end-of-test", "1");
      List<String> stream = new ArrayList<>();
      List<String> command;
      do {
        command = replica.next();
        String name = command.get(0).toUpperCase(java.util.Locale.ROOT);
        if (name.equals("PING") || name.equals("REPLCONF")) {
          continue;
        }
        stream.add(normalised(command));
      } while (!command.equals(List.of("SET", "end-of-test", "1")));
      return stream;
    }
  }

  private static void awaitBlocked(RespSocket client) {
    dev.sluice.proxy.testing.Await.until(
        "a blocked client",
        () -> client.call("INFO", "clients").toString().contains("blocked_clients:1"));
  }

  /**
   * Blocking commands served by another client's write: replicas get what the served command did,
   * after the write, as when it is served at once.
   */
  private static List<String[][]> servedAfterBlocking() {
    return List.of(
        new String[][] {
          {"BLMPOP", "0", "1", "bl", "LEFT", "COUNT", "5"}, {"RPUSH", "bl", "a", "b"}
        },
        new String[][] {{"BLPOP", "bl2", "0"}, {"RPUSH", "bl2", "x"}},
        new String[][] {{"BRPOPLPUSH", "bl3", "dst", "0"}, {"RPUSH", "bl3", "y"}},
        new String[][] {{"BLMOVE", "bl4", "dst", "RIGHT", "LEFT", "0"}, {"RPUSH", "bl4", "z"}},
        new String[][] {{"BZPOPMIN", "bz", "0"}, {"ZADD", "bz", "1", "a"}},
        new String[][] {
          {"BZMPOP", "0", "1", "bz2", "MAX", "COUNT", "3"}, {"ZADD", "bz2", "1", "a", "2", "b"}
        },
        new String[][] {
          {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "bs", ">"},
          {"XADD", "bs", "1-1", "f", "v"}
        });
  }

  private static String normalised(List<String> command) {
    return command.stream()
        .map(arg -> EPOCH_MILLIS.matcher(arg).replaceAll("<time>"))
        .collect(Collectors.joining(" "));
  }

  private static List<String[]> commands() {
    List<String[]> c = new ArrayList<>();
    String script =
        "redis.call('set', KEYS[1], ARGV[1]); redis.call('incrbyfloat', KEYS[1], '1.5');"
            + " return redis.call('get', KEYS[1])";
    String[][] all = {
      // strings
      {"SET", "s", "1"},
      {"SET", "s", "2", "EX", "100"},
      {"SETEX", "s2", "100", "v"},
      {"PSETEX", "s3", "100000", "v"},
      {"SET", "s4", "v", "KEEPTTL"},
      {"SETNX", "s", "other"},
      {"GETSET", "s", "3"},
      {"GETDEL", "s3"},
      {"GETDEL", "missing"},
      {"GETEX", "s2", "EX", "200"},
      {"GETEX", "s2", "PERSIST"},
      {"INCRBYFLOAT", "f", "1.5"},
      {"SET", "fttl", "10", "EX", "1000"},
      {"INCRBYFLOAT", "fttl", "0.25"},
      {"INCR", "n"},
      {"INCRBY", "n", "5"},
      {"APPEND", "s", "x"},
      {"SETRANGE", "s", "5", "y"},
      {"MSET", "m1", "a", "m2", "b"},
      {"DEL", "missing"},
      // keys and expiries
      {"EXPIRE", "m1", "100"},
      {"PEXPIRE", "m2", "100000"},
      {"EXPIREAT", "s", "4000000000"},
      {"PERSIST", "m1"},
      {"EXPIRE", "m2", "-1"},
      {"RENAME", "s4", "s5"},
      // hashes
      {"HSET", "h", "a", "1", "b", "2"},
      {"HINCRBYFLOAT", "h", "a", "2.5"},
      {"HINCRBY", "h", "b", "3"},
      {"HDEL", "h", "b"},
      // lists
      {"RPUSH", "l", "a", "b", "c", "d", "e", "f"},
      {"LPOP", "l"},
      {"RPOP", "l", "2"},
      {"LMPOP", "2", "nolist", "l", "LEFT", "COUNT", "10"},
      {"RPUSH", "l", "a", "b", "c"},
      {"BLMPOP", "0", "1", "l", "RIGHT"},
      {"BLPOP", "l", "0"},
      {"RPUSH", "l2", "x", "y"},
      {"LMOVE", "l2", "l3", "LEFT", "RIGHT"},
      {"BLMOVE", "l2", "l3", "right", "LEFT", "0"},
      {"LPUSH", "l4", "p"},
      {"BRPOPLPUSH", "l4", "l3", "0"},
      // sets and sorted sets
      {"SADD", "set", "a", "b", "c"},
      {"SREM", "set", "a"},
      {"SMOVE", "set", "set2", "b"},
      {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"},
      {"ZINCRBY", "z", "1.5", "a"},
      {"ZPOPMIN", "z"},
      {"ZMPOP", "1", "z", "MAX", "COUNT", "2"},
      {"BZPOPMIN", "z", "0"},
      {"BZMPOP", "0", "1", "z", "MIN"},
      {"GEOADD", "geo", "13.361389", "38.115556", "Palermo"},
      {"GEOADD", "geo", "XX", "CH", "15.087269", "37.502669", "Palermo"},
      // streams
      {"XADD", "x", "1-1", "f", "v"},
      {"XADD", "x", "2-1", "f", "v"},
      {"XADD", "x", "3-1", "f", "v"},
      {"XADD", "x", "MAXLEN", "~", "1", "4-1", "f", "v"},
      {"XADD", "x", "MAXLEN", "2", "5-1", "f", "v"},
      {"XADD", "x", "MINID", "~", "1", "6-1", "f", "v"},
      {"XTRIM", "x", "MAXLEN", "~", "1"},
      {"XTRIM", "x", "MAXLEN", "~", "2", "LIMIT", "10"},
      {"XTRIM", "x", "MINID", "5-0"},
      {"XGROUP", "CREATE", "x", "g", "0"},
      {"XGROUP", "CREATE", "x", "g2", "$", "ENTRIESREAD", "1"},
      {"XGROUP", "CREATECONSUMER", "x", "g", "alice"},
      {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "x", ">"},
      {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "x", ">"},
      {"XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "x", ">"},
      {"XCLAIM", "x", "g", "carol", "0", "5-1"},
      {"XCLAIM", "x", "g", "carol", "0", "6-1", "JUSTID"},
      {"XAUTOCLAIM", "x", "g", "dave", "0", "0-0", "COUNT", "10"},
      {"XACK", "x", "g", "5-1"},
      {"XGROUP", "SETID", "x", "g", "0", "ENTRIESREAD", "0"},
      {"XGROUP", "DELCONSUMER", "x", "g", "dave"},
      {"XDEL", "x", "6-1"},
      {"XSETID", "x", "100-1"},
      {"XADD", "y", "1-1", "f", "v"},
      {"XADD", "y", "2-1", "f", "v"},
      {"XADD", "y", "3-1", "f", "v"},
      {"XGROUP", "CREATE", "y", "g", "0"},
      {"XREADGROUP", "GROUP", "g", "erin", "NOACK", "COUNT", "1", "STREAMS", "y", ">"},
      {"XREADGROUP", "GROUP", "g", "erin", "STREAMS", "y", ">"},
      {"XREADGROUP", "GROUP", "g", "erin", "STREAMS", "y", "0"},
      {"XDEL", "y", "2-1"},
      {"XCLAIM", "y", "g", "frank", "0", "2-1", "3-1"},
      {"XCLAIM", "y", "g", "frank", "0", "9-1", "LASTID", "9-1"},
      {"XCLAIM", "y", "g", "frank", "0", "3-1", "LASTID", "10-1", "RETRYCOUNT", "7"},
      {"XADD", "y", "11-1", "f", "v"},
      {"XREADGROUP", "GROUP", "g", "gina", "STREAMS", "y", ">"},
      {"XDEL", "y", "11-1"},
      {"XAUTOCLAIM", "y", "g", "hal", "0", "0", "JUSTID"},
      // commands replicas run as sent
      {"PFADD", "hll", "a", "b", "c"},
      {"PFCOUNT", "hll"},
      {"PFADD", "hll2", "d"},
      {"PFMERGE", "hll3", "hll", "hll2"},
      {"PFCOUNT", "hll", "hll2"},
      {"SETBIT", "bits", "7", "1"},
      {"BITFIELD", "bits", "INCRBY", "u8", "8", "5"},
      {"BITOP", "NOT", "nbits", "bits"},
      {"LINSERT", "l3", "BEFORE", "x", "w"},
      {"LSET", "l3", "0", "v"},
      {"LTRIM", "l3", "0", "1"},
      {"SINTERSTORE", "inter", "set2", "set2"},
      {"ZRANGESTORE", "zr", "z", "0", "-1"},
      {"SORT", "l3", "ALPHA", "STORE", "sorted"},
      {"COPY", "h", "h-copy"},
      {"PUBLISH", "channel", "message"},
      {"SWAPDB", "0", "5"},
      {"SWAPDB", "0", "5"},
      {
        "FUNCTION",
        "LOAD",
        "#!lua name=lib\nredis.register_function('f', function(k) return redis.call('incr', k[1]) end)"
      },
      {"FCALL", "f", "1", "fcalled"},
      {"FUNCTION", "DELETE", "lib"},
      // transactions, scripts and another database
      {"MULTI"},
      {"SET", "t1", "a"},
      {"INCRBYFLOAT", "t2", "0.5"},
      {"EXEC"},
      {"EVAL", script, "1", "lua", "2"},
      {"SELECT", "2"},
      {"SET", "in2", "v"},
      {"SELECT", "0"},
      {"FLUSHDB"},
    };
    c.addAll(List.of(all));
    // approximate trims that remove whole nodes of 100 entries, as Redis's stream-node-max-entries
    for (int i = 1; i <= 350; i++) {
      c.add(new String[] {"XADD", "big", i + "-0", "f", "v"});
    }
    c.add(new String[] {"XTRIM", "big", "MAXLEN", "~", "120"});
    c.add(new String[] {"XADD", "big", "MAXLEN", "~", "10", "LIMIT", "100", "351-0", "f", "v"});
    c.add(new String[] {"XTRIM", "big", "MINID", "~", "340-0"});
    c.add(new String[] {"SADD", "one", "only"});
    c.add(new String[] {"SPOP", "one"});
    c.add(new String[] {"EVAL", "#!lua\nreturn redis.call('incrbyfloat', KEYS[1], 1)", "1", "f"});
    c.add(new String[] {"FLUSHALL"});
    c.add(new String[] {"XGROUP", "CREATE", "bs", "g", "$", "MKSTREAM"});
    return c;
  }
}
