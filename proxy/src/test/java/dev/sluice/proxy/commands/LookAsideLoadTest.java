package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.engine.KeyLoader;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection machinery behind look-aside reads: a command that names a mapped key missing from
 * memory suspends only its own connection until the {@link KeyLoader} answers, then runs with the
 * loaded value, replies in order, and leaves the value cached. The loader here is an in-process
 * source gated by a latch, so the test controls when a load finishes; the PostgreSQL loader plugs
 * into the same interface.
 */
class LookAsideLoadTest {
  private static TestServer server;
  private static final GatedLoader loader = new GatedLoader();

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    server.context().engine().keyLoader(loader);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void reset() {
    try (RespSocket admin = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), admin.call("FLUSHALL"));
    }
    loader.reset();
  }

  /** Keys "user:*" are mapped; their rows live in {@link #rows}. Loads wait for {@link #gate}. */
  static final class GatedLoader implements KeyLoader {
    final Map<String, String> rows = new ConcurrentHashMap<>();
    final List<List<String>> loads = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile String failWith;

    void reset() {
      rows.clear();
      loads.clear();
      gate = new CountDownLatch(0);
      failWith = null;
    }

    @Override
    public boolean needsLoad(int db, byte[] key) {
      return db == 0 && new String(key, StandardCharsets.UTF_8).startsWith("user:");
    }

    @Override
    public void load(int db, List<byte[]> keys, Consumer<Result> done) {
      List<String> names = keys.stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList();
      loads.add(names);
      CountDownLatch wait = gate;
      Thread loading =
          new Thread(
              () -> {
                try {
                  wait.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                if (failWith != null) {
                  done.accept(Result.failed(failWith));
                  return;
                }
                done.accept(
                    new Result(
                        names.stream()
                            .map(
                                n ->
                                    new Loaded(
                                        n.getBytes(StandardCharsets.UTF_8),
                                        rows.containsKey(n)
                                            ? rows.get(n).getBytes(StandardCharsets.UTF_8)
                                            : null,
                                        0))
                            .toList(),
                        null));
              });
      loading.setDaemon(true);
      loading.start();
    }
  }

  @Test
  void get_missOnMappedKey_loadsThenAnswersAndCaches() {
    loader.rows.put("user:1", "alice");
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals("alice", client.call("GET", "user:1"));
      assertEquals("alice", client.call("GET", "user:1"));
      assertEquals(1, loader.loads.size(), "the second GET is a hit");
      assertEquals(1L, client.call("EXISTS", "user:1"));
    }
  }

  @Test
  void get_missingRow_answersNilAndStoresNothing() {
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(Nil.BULK, client.call("GET", "user:404"));
      assertEquals(0L, client.call("DBSIZE"));
    }
  }

  @Test
  void get_plainKey_neverLoads() {
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(Nil.BULK, client.call("GET", "plain"));
      assertEquals(List.of(), loader.loads);
    }
  }

  @Test
  void miss_blocksOnlyItsConnection_andLaterPipelinedRepliesStayInOrder() {
    loader.rows.put("user:1", "alice");
    loader.gate = new CountDownLatch(1);
    try (RespSocket waiting = RespSocket.connect(server.port());
        RespSocket other = RespSocket.connect(server.port())) {
      waiting.send("GET", "user:1");
      waiting.send("PING");
      waiting.send("SET", "after", "1");
      awaitLoads(1);

      assertEquals(new Simple("PONG"), other.call("PING"), "other connections keep going");
      assertEquals(new Simple("OK"), other.call("SET", "k", "v"));
      assertEquals(Nil.BULK, other.call("GET", "after"), "the queued SET has not run yet");

      loader.gate.countDown();
      assertEquals("alice", waiting.read());
      assertEquals(new Simple("PONG"), waiting.read());
      assertEquals(new Simple("OK"), waiting.read());
    }
  }

  @Test
  void mget_mixedHitsAndMisses_loadsOnlyTheMisses() {
    loader.rows.put("user:1", "alice");
    loader.rows.put("user:2", "bob");
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals("alice", client.call("GET", "user:1"));
      assertEquals(
          List.of("alice", "bob", Nil.BULK, Nil.BULK),
          client.call("MGET", "user:1", "user:2", "user:3", "plain"));
      assertEquals(List.of(List.of("user:1"), List.of("user:2", "user:3")), loader.loads);
    }
  }

  @Test
  void exec_queuedReadOfMappedKey_loadsBeforeTheTransactionRuns() {
    loader.rows.put("user:7", "grace");
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), client.call("MULTI"));
      assertEquals(new Simple("QUEUED"), client.call("GET", "user:7"));
      assertEquals(new Simple("QUEUED"), client.call("SET", "plain", "x"));
      assertEquals(List.of("grace", new Simple("OK")), client.call("EXEC"));
      assertEquals(List.of(List.of("user:7")), loader.loads);
    }
  }

  @Test
  void del_mappedKeyNotInMemory_evictsWithoutLoading() {
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(0L, client.call("DEL", "user:1"));
      assertEquals(List.of(), loader.loads);
    }
  }

  @Test
  void load_failure_answersTheLoadersErrorAndTheConnectionGoesOn() {
    loader.failWith = "ERR database unavailable";
    try (RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(new Err("ERR database unavailable"), client.call("GET", "user:1"));
      assertEquals(new Simple("PONG"), client.call("PING"));
    }
  }

  @Test
  void miss_whileAnotherClientCreatesTheKey_keepsTheNewerValue() {
    loader.rows.put("user:1", "from-database");
    loader.gate = new CountDownLatch(1);
    AtomicReference<Object> reply = new AtomicReference<>();
    try (RespSocket waiting = RespSocket.connect(server.port());
        RespSocket writer = RespSocket.connect(server.port())) {
      waiting.send("GET", "user:1");
      awaitLoads(1);
      // the writer's SET XX also names user:1 and depends on it, so it waits for a load of its
      // own first (a plain SET replaces the value whatever it was and would not)
      writer.send("SET", "user:1", "written", "XX");
      awaitLoads(2);
      loader.gate.countDown();
      reply.set(waiting.read());
      assertEquals(new Simple("OK"), writer.read());
      assertEquals("written", writer.call("GET", "user:1"));
      assertTrue(List.of("from-database", "written").contains(reply.get()), "got " + reply.get());
    }
  }

  private static void awaitLoads(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (loader.loads.size() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(count, loader.loads.size(), "loads started");
  }
}
