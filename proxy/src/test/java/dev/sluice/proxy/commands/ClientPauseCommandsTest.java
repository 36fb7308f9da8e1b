package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.SharedServerTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CLIENT PAUSE and UNPAUSE over real sockets, as Redis's pause.tcl checks them: which commands a
 * WRITE pause holds, that ALL holds reads too, that a held command runs (and answers) once the
 * pause is lifted or times out, and that held clients count as blocked. The replies and errors of
 * the commands themselves are compared with redis-server in {@code ClientCommandsGoldenTest}; the
 * pause's own rules (deadlines, modes) in {@code engine.ClientPauseTest}.
 */
class ClientPauseCommandsTest extends SharedServerTest {

  @AfterEach
  void unpauseAndClose() {
    admin.sendCommand(() -> "CLIENT".getBytes(), "UNPAUSE");
    closeClients();
    admin.flushAll();
  }

  private static void pause(String... modeAndTimeout) {
    List<String> args = new ArrayList<>(List.of("PAUSE"));
    args.addAll(List.of(modeAndTimeout));
    assertEquals(
        "OK",
        new String(
            (byte[]) admin.sendCommand(() -> "CLIENT".getBytes(), args.toArray(String[]::new))));
  }

  @Test
  void pauseWrite_holdsWritesUntilUnpause_readsRunMeanwhile() {
    pause("60000", "WRITE");
    RespSocket writer = client();
    writer.send("SET", "k", "v");
    Await.blockedClients(admin, 1);

    RespSocket reader = client();
    assertEquals(Nil.BULK, reader.call("GET", "k"));
    assertEquals(new Simple("PONG"), reader.call("PING"));

    admin.sendCommand(() -> "CLIENT".getBytes(), "UNPAUSE");
    assertEquals(new Simple("OK"), writer.read());
    assertEquals("v", reader.call("GET", "k"));
    Await.blockedClients(admin, 0);
  }

  @Test
  void pauseWrite_holdsScriptsPublishPfcountAndExecOfAWrite_notReadOnlyOnes() {
    admin.pfadd("hll", "a");
    pause("60000", "WRITE");
    RespSocket script = client();
    script.send("EVAL", "return 1", "0");
    RespSocket publish = client();
    publish.send("PUBLISH", "ch", "m");
    RespSocket pfcount = client();
    pfcount.send("PFCOUNT", "hll");
    RespSocket exec = client();
    assertEquals(new Simple("OK"), exec.call("MULTI"));
    exec.send("SET", "x", "1"); // held: a write, even to be queued
    Await.blockedClients(admin, 4);

    RespSocket readOnly = client();
    assertEquals(1L, readOnly.call("EVAL_RO", "return 1", "0"));
    assertEquals(new Simple("OK"), readOnly.call("MULTI"));
    assertEquals(new Simple("QUEUED"), readOnly.call("GET", "x"));
    assertEquals(List.of(Nil.BULK), readOnly.call("EXEC"));

    admin.sendCommand(() -> "CLIENT".getBytes(), "UNPAUSE");
    assertEquals(1L, script.read());
    assertEquals(0L, publish.read());
    assertEquals(1L, pfcount.read());
    assertEquals(new Simple("QUEUED"), exec.read());
    assertEquals(List.of(new Simple("OK")), exec.call("EXEC"));
  }

  @Test
  void pauseAll_holdsReadsToo_andEndsOnItsOwnAtTheTimeout() {
    pause("300", "ALL");
    RespSocket reader = client();
    reader.send("GET", "k");
    // the server's clock is a ManualClock: the deadline passes when the test says, and the
    // server cron, which runs on real time, then lifts the pause
    server.clock().advance(java.time.Duration.ofMillis(300));
    assertEquals(Nil.BULK, reader.read());
    Await.blockedClients(admin, 0);
  }
}
