package dev.sluice.proxy.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.Commands;
import dev.sluice.proxy.conn.ConnectionStateMachine.State;
import dev.sluice.proxy.conn.Suspension.Kind;
import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.MappingAdmin;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection state machine on {@link io.netty.channel.embedded.EmbeddedChannel}s, the test
 * being their event loop: pipelined commands behind each kind of suspension come out in request
 * order, a close while suspended writes nothing more and leaves nothing waiting, a resumption may
 * suspend again, and a future completed at once on the loop replies once.
 */
final class ConnectionStateMachineTest {
  private static final String PONG = "+PONG\r\n";
  private static final String OK = "+OK\r\n";
  private static final String ROW = "$3\r\nrow\r\n";
  private static final String POPPED = "*2\r\n$1\r\nl\r\n$1\r\nv\r\n";
  private static final String SCRIPT_GET = "EVAL return(redis.call('GET',KEYS[1])) 1 ";

  private final ControlledKeyLoader loader = new ControlledKeyLoader();
  private final List<EmbeddedClient> clients = new ArrayList<>();
  private final TrackingAllocator allocator = new TrackingAllocator();
  private final ManualClock clock = new ManualClock();
  private ServerContext server;
  private CommandExecutor executor;
  private CompletableFuture<Object> journal = new CompletableFuture<>();
  private CompletableFuture<Long> warm = new CompletableFuture<>();

  @BeforeEach
  void setUp() {
    server = new ServerContext(SluiceConfig.builder().build(), clock, Commands::register);
    server.engine().keyLoader(loader);
    server.mappingAdmin(new WarmOnly());
    // a write whose reply waits for the journal the test completes
    server
        .commands()
        .register(
            CommandSpec.command(
                "test.journaled",
                1,
                c -> {
                  c.reply().simple("OK");
                  c.awaitDurable(journal);
                }));
    executor = new CommandExecutor(server.engine());
    loader.rows.put("pg:x", "row");
  }

  @AfterEach
  void tearDown() {
    clients.forEach(EmbeddedClient::close);
  }

  private EmbeddedClient client() throws Exception {
    EmbeddedClient client = new EmbeddedClient(server, executor, allocator);
    clients.add(client);
    return client;
  }

  @Test
  void pipeline_behindLoad_repliesInRequestOrder() throws Exception {
    EmbeddedClient a = client().send("SET a 1", "GET pg:x", "GET a", "PING");

    assertEquals(OK, a.replies());
    assertEquals(Kind.LOAD, a.suspendedOn());
    loader.completeOnAnotherThread();
    assertEquals(ROW + "$1\r\n1\r\n" + PONG, a.replies());
    assertEquals(State.RUNNING, a.state());
  }

  @Test
  void slowlog_idleBetweenTwoBursts_notChargedToTheNextCommand() throws Exception {
    EmbeddedClient a = client().send("SLOWLOG RESET", "SET a 1");
    assertEquals(OK + OK, a.replies());
    clock.advance(Duration.ofSeconds(1)); // the client waits a second between two bursts

    a.send("GET a", "SLOWLOG LEN");

    assertEquals("$1\r\n1\r\n:0\r\n", a.replies());
  }

  @Test
  void load_completedAtOnceOnTheLoop_repliesOnce() throws Exception {
    loader.atOnce = true;
    EmbeddedClient a = client().send("GET pg:x", "PING");

    assertEquals(ROW + PONG, a.replies());
    assertEquals("", a.replies());
    assertEquals(State.RUNNING, a.state());
  }

  @Test
  void load_completedAtOnceForAScript_repliesOnce() throws Exception {
    loader.atOnce = true;
    CountDownLatch scripts = holdScripts();
    EmbeddedClient a = client().send(SCRIPT_GET + "pg:x", "PING");
    assertEquals("", a.replies());

    scripts = releaseAndHold(scripts); // the script found its key missing: a load, at once
    assertEquals("", a.replies());
    release(scripts); // the script again, with its key
    assertEquals(ROW + PONG, a.replies());
    assertEquals("", a.replies());
  }

  @Test
  void pipeline_behindJournaledWrite_heldUntilDurable() throws Exception {
    EmbeddedClient a = client().send("test.journaled", "PING");

    assertEquals("", a.replies());
    assertEquals(Kind.DURABLE, a.suspendedOn());
    completeOnAnotherThread(journal, "forced");
    assertEquals(OK + PONG, a.replies());
    assertEquals(State.RUNNING, a.state());
  }

  @Test
  void journaledWrite_journalFails_closesWithAnErrorInstead() throws Exception {
    EmbeddedClient a = client().send("test.journaled", "PING");

    journal.completeExceptionally(new IOException("disk gone"));
    assertEquals("-ERR journal write failed, writes not acknowledged: disk gone\r\n", a.replies());
    assertFalse(a.channel.isOpen());
  }

  @Test
  void pipeline_behindBlockedPop_servedByAnotherClient() throws Exception {
    EmbeddedClient a = client().send("BLPOP l 0", "PING");
    assertEquals("", a.replies());
    assertEquals(Kind.BLOCKED, a.suspendedOn());

    EmbeddedClient b = client().send("RPUSH l v");
    assertEquals(":1\r\n", b.replies());
    assertEquals(POPPED + PONG, a.replies());
    assertEquals(0, server.stats().blockedClients.get());
  }

  @Test
  void pipeline_behindBlockedPop_timedOut() throws Exception {
    EmbeddedClient a = client().send("BLPOP l 1", "PING");
    a.advance(999);
    assertEquals("", a.replies());

    a.advance(1);
    assertEquals("*-1\r\n" + PONG, a.replies());
    assertTrue(server.keyspace().blocked().get(0, bytes("l")).isEmpty());
  }

  @Test
  void pipeline_behindScript_repliesInRequestOrder() throws Exception {
    CountDownLatch scripts = holdScripts();
    EmbeddedClient a = client().send("SET a 1", SCRIPT_GET + "a", "GET a", "PING");
    assertEquals(OK, a.replies());
    assertEquals(Kind.SCRIPT, a.suspendedOn());

    release(scripts);
    assertEquals("$1\r\n1\r\n$1\r\n1\r\n" + PONG, a.replies());
    assertEquals(State.RUNNING, a.state());
  }

  @Test
  void pipelinedScripts_runInOneHandOff() throws Exception {
    CountDownLatch scripts = holdScripts();
    EmbeddedClient a =
        client().send("SET a 1", SCRIPT_GET + "a", SCRIPT_GET + "a", SCRIPT_GET + "a", "PING");
    assertEquals(OK, a.replies());
    assertEquals(Kind.SCRIPT, a.suspendedOn());

    scripts = releaseAndHold(scripts); // one task on the script thread ran all three
    assertEquals("$1\r\n1\r\n$1\r\n1\r\n$1\r\n1\r\n" + PONG, a.replies());
    assertEquals(State.RUNNING, a.state());
    release(scripts);
  }

  @Test
  void pipelinedScripts_oneNeedsALoad_theRestRunAfterItInOrder() throws Exception {
    CountDownLatch scripts = holdScripts();
    EmbeddedClient a =
        client().send("SET a 1", SCRIPT_GET + "a", SCRIPT_GET + "pg:x", SCRIPT_GET + "a", "PING");
    scripts = releaseAndHold(scripts); // the first ran; the second found its key missing
    assertEquals(OK + "$1\r\n1\r\n", a.replies());
    assertEquals(Kind.LOAD, a.suspendedOn());

    loader.completeOnAnotherThread();
    assertEquals("", a.replies()); // the loop ran what the loader posted: the script again
    assertEquals(Kind.SCRIPT, a.suspendedOn());
    scripts = releaseAndHold(scripts); // the second, with its key
    assertEquals(ROW, a.replies());
    assertEquals(Kind.SCRIPT, a.suspendedOn()); // the third, back in the queue, handed off next
    release(scripts);
    assertEquals("$1\r\n1\r\n" + PONG, a.replies());
    assertEquals(State.RUNNING, a.state());
  }

  @Test
  void close_whileScriptRuns_writesNothingAfter() throws Exception {
    CountDownLatch scripts = holdScripts();
    EmbeddedClient a = client().send(SCRIPT_GET + "a", "PING");
    a.channel.close();

    release(scripts);
    assertClosedCleanly(a);
  }

  @Test
  void pipeline_behindWarm_answersWithItsOutcome() throws Exception {
    EmbeddedClient a = client().send("SLUICE WARM users", "PING");
    assertEquals("", a.replies());
    assertEquals(Kind.WORK, a.suspendedOn());

    completeOnAnotherThread(warm, 42L);
    assertEquals(":42\r\n" + PONG, a.replies());
  }

  @Test
  void warm_failed_answersItsErrorAndRunsOn() throws Exception {
    EmbeddedClient a = client().send("SLUICE WARM users", "PING");

    warm.completeExceptionally(new IllegalStateException("no such table"));
    assertEquals("-ERR no such table\r\n" + PONG, a.replies());
    assertTrue(a.channel.isOpen());
  }

  @Test
  void close_whileBlocked_removesTheWaiterAndWritesNothing() throws Exception {
    EmbeddedClient a = client().send("BLPOP l 0", "PING");
    a.channel.close();

    assertTrue(server.keyspace().blocked().get(0, bytes("l")).isEmpty());
    assertEquals(0, server.stats().blockedClients.get());
    EmbeddedClient b = client().send("RPUSH l v", "LLEN l");
    assertEquals(":1\r\n:1\r\n", b.replies());
    assertEquals("", a.replies());
    assertEquals(State.CLOSING, a.state());
    assertEquals(0, allocator.unreleased());
  }

  @Test
  void close_whileLoading_writesNothingAfter() throws Exception {
    EmbeddedClient a = client().send("GET pg:x", "PING");
    a.channel.close();

    loader.completeOnAnotherThread();
    assertClosedCleanly(a);
  }

  @Test
  void close_whileDurable_writesNothingAfter() throws Exception {
    EmbeddedClient a = client().send("test.journaled", "PING");
    a.channel.close();

    journal.complete("forced");
    assertClosedCleanly(a);
  }

  @Test
  void twoSuspensions_loadWhoseRerunBlocks_servedInOrder() throws Exception {
    EmbeddedClient a = client().send("BLPOP pg:l 0", "PING");
    assertEquals(Kind.LOAD, a.suspendedOn());
    loader.completeOnAnotherThread();
    assertEquals("", a.replies());
    assertEquals(Kind.BLOCKED, a.suspendedOn());

    client().send("RPUSH pg:l v").replies();
    assertEquals("*2\r\n$4\r\npg:l\r\n$1\r\nv\r\n" + PONG, a.replies());
  }

  @Test
  void twoSuspensions_servedPopWaitsBehindHeldReplies() throws Exception {
    EmbeddedClient a = client().send("test.journaled", "BLPOP l 0", "PING");
    assertEquals(Kind.DURABLE, a.suspendedOn());

    client().send("RPUSH l v").replies();
    assertEquals("", a.replies());
    journal.complete("forced");
    assertEquals(OK + POPPED + PONG, a.replies());
  }

  @Test
  void twoSuspensions_durableFirstThenStillBlocked() throws Exception {
    EmbeddedClient a = client().send("test.journaled", "BLPOP l 0", "PING");

    journal.complete("forced");
    assertEquals(OK, a.replies());
    assertEquals(Kind.BLOCKED, a.suspendedOn());
    client().send("RPUSH l v").replies();
    assertEquals(POPPED + PONG, a.replies());
  }

  @Test
  void twoSuspensions_loadThenScript_runsTheScriptAfterTheLoad() throws Exception {
    CountDownLatch scripts = holdScripts();
    EmbeddedClient a = client().send(SCRIPT_GET + "pg:x", "PING");
    assertEquals(Kind.SCRIPT, a.suspendedOn());
    scripts = releaseAndHold(scripts); // the script thread finds its key missing
    assertEquals("", a.replies());
    assertEquals(Kind.LOAD, a.suspendedOn());

    loader.completeOnAnotherThread();
    assertEquals("", a.replies());
    assertEquals(Kind.SCRIPT, a.suspendedOn());
    release(scripts);
    assertEquals(ROW + PONG, a.replies());
  }

  @Test
  void resume_whileABusyScriptHoldsTheLock_leavesTheLoopFree() throws Exception {
    server.scripts().busyThresholdMillis(0);
    EmbeddedClient a = client().send("GET pg:x", "PING");
    EmbeddedClient b = client().send("EVAL while(1)do;end 0");
    try {
      Awaiting.until("the script to be busy", () -> server.scripts().busy());
      loader.completeOnAnotherThread();

      String replies =
          assertTimeoutPreemptively(Duration.ofSeconds(5), a::replies, "the loop waited");
      assertEquals("", replies);
      assertEquals(Kind.LOAD, a.suspendedOn());
      assertTrue(client().send("PING").replies().startsWith("-BUSY"));
    } finally {
      server.scripts().kill();
      scriptsIdle();
    }
    a.advance(BusyScriptResponder.BUSY_POLL_MILLIS);
    assertEquals(ROW + PONG, a.replies());
    assertTrue(b.replies().startsWith("-ERR Script killed"));
  }

  /**
   * Holds the script thread until {@link #release}: a real thread that posts to the loop, which
   * only the test may run meanwhile (an embedded loop is not thread-safe).
   */
  private CountDownLatch holdScripts() {
    CountDownLatch gate = new CountDownLatch(1);
    server
        .scripts()
        .runner()
        .execute(
            () -> {
              try {
                gate.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    return gate;
  }

  /** Lets the script thread go and waits until it ran all it was given. */
  private void release(CountDownLatch gate) throws Exception {
    gate.countDown();
    scriptsIdle();
  }

  /** {@link #release}, then holds the script thread again, for the next script the loop starts. */
  private CountDownLatch releaseAndHold(CountDownLatch gate) throws Exception {
    release(gate);
    return holdScripts();
  }

  /** After a close: nothing written, nothing waiting, every buffer released. */
  private void assertClosedCleanly(EmbeddedClient client) {
    assertEquals("", client.replies());
    assertNull(client.suspendedOn());
    assertEquals(0, allocator.unreleased());
  }

  /** The runner is one thread: once a no-op ran on it, the script before it posted its reply. */
  private void scriptsIdle() throws Exception {
    CompletableFuture.runAsync(() -> {}, server.scripts().runner()).get(5, TimeUnit.SECONDS);
  }

  private static <T> void completeOnAnotherThread(CompletableFuture<T> future, T value)
      throws InterruptedException {
    Thread completer = new Thread(() -> future.complete(value), "test-completer");
    completer.start();
    completer.join();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** SLUICE WARM's side of the look-aside, the warm being the test's future. */
  private final class WarmOnly implements MappingAdmin {
    @Override
    public Map<String, Map<String, Object>> status() {
      return Map.of();
    }

    @Override
    public long invalidate(String target) {
      return 0;
    }

    @Override
    public CompletableFuture<Long> warm(String mapping, long limit) {
      return warm;
    }

    @Override
    public CompletableFuture<String> installTriggers(String mapping) {
      return new CompletableFuture<>();
    }

    @Override
    public List<String> infoLines() {
      return List.of();
    }
  }

  /** Bounded waiting for a condition another thread brings about, without sleeps. */
  private static final class Awaiting {
    static void until(String what, java.util.function.BooleanSupplier condition) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("still waiting after 5 s for " + what);
        }
        Thread.onSpinWait();
      }
    }
  }
}
