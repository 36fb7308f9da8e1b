package dev.sluice.writeback.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends at full speed and is killed with SIGKILL at a random moment; every LSN it
 * printed as acknowledged must survive recovery, intact, and the journal must continue after it.
 */
class JournalCrashTest {
  @TempDir Path dir;

  @Test
  void sigkill_duringAppends_losesNoAcknowledgedRecord() throws Exception {
    Random random = new Random();
    long acknowledgedMax = 0;
    for (int round = 1; round <= 3; round++) {
      int killAfter = 200 + random.nextInt(3000);
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Xshare:auto",
                  "-XX:TieredStopAtLevel=1",
                  CrashAppender.class.getName(),
                  dir.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      CompletableFuture<Void> pump =
          CompletableFuture.runAsync(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                  for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (Exception e) {
                  // the pipe closes when the child dies
                }
              });
      List<Long> acked = new ArrayList<>();
      String ready = lines.poll(20, TimeUnit.SECONDS);
      assertTrue(ready != null && ready.startsWith("ready "), "child did not start: " + ready);
      assertEquals(acknowledgedMax, Long.parseLong(ready.substring(6)), "LSNs continue");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (acked.size() < killAfter && System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          acked.add(Long.parseLong(line));
        }
      }
      child.destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      pump.get(10, TimeUnit.SECONDS);
      for (String line; (line = lines.poll()) != null; ) {
        acked.add(Long.parseLong(line)); // printed before the kill: acknowledged too
      }
      assertTrue(!acked.isEmpty(), "round " + round + ": nothing acknowledged");

      JournalReader.Recovery recovery = JournalReader.recover(dir);
      System.out.printf(
          "crash round %d: %d acknowledged, recovered up to LSN %d, torn tail of %d bytes%n",
          round, acked.size(), recovery.lastLsn(), recovery.truncatedBytes());
      List<JournalRecord> records = JournalReader.readAll(dir, 0);
      assertEquals(recovery.lastLsn(), records.size());
      for (int i = 0; i < records.size(); i++) {
        JournalRecord r = records.get(i);
        assertEquals(i + 1, r.lsn());
        assertArrayEquals(CrashAppender.payload(r.lsn()), r.payload(), "LSN " + r.lsn());
      }
      long maxAcked = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertTrue(
          maxAcked <= recovery.lastLsn(),
          "acknowledged LSN " + maxAcked + " lost; recovered " + recovery.lastLsn());
      assertEquals(JournalVerifier.Status.OK, JournalVerifier.verify(dir).status());
      acknowledgedMax = recovery.lastLsn();
    }
  }
}
