package dev.sluice.proxy.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BullMQ, the Node.js job queue, against a real Sluice: {@code interop/bullmq/bullmq-check.js}
 * drives a Queue, a Worker, QueueEvents, delayed and repeatable jobs over ioredis and checks every
 * result, exiting non-zero on the first mismatch. The same script passes against redis-server,
 * which is what makes a failure here Sluice's. Needs Node.js and npm (.ci/run installs them); the
 * pinned packages are installed once with {@code npm ci} and reused offline after that.
 */
class BullMqTest {
  private static final Path PROJECT =
      Path.of("..", "interop", "bullmq").toAbsolutePath().normalize();
  private static final Pattern ALL_PASSED =
      Pattern.compile("(?m)^all \\d+ checks passed against 127\\.0\\.0\\.1:\\d+$");

  @BeforeAll
  static void installPackages() throws IOException, InterruptedException {
    if (Files.isDirectory(PROJECT.resolve("node_modules"))) {
      return;
    }
    // --ignore-scripts: msgpackr's optional native build is not needed (it falls back to JS).
    Result install =
        run(Duration.ofMinutes(5), "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
    assertEquals(0, install.exitCode(), "npm ci in " + PROJECT + ":\n" + install.output());
  }

  @Test
  void bullMqCheck_againstSluice_everyCheckPasses() throws IOException, InterruptedException {
    // The system clock: BullMQ stamps delays with the client's time and lets locks lapse in
    // real time.
    try (TestServer server = TestServer.startOnSystemClock(UnaryOperator.identity())) {
      Result check =
          run(
              Duration.ofSeconds(120),
              "node",
              "bullmq-check.js",
              "127.0.0.1",
              Integer.toString(server.port()));

      assertEquals(
          0, check.exitCode(), "bullmq-check.js exit status; its output:\n" + check.output());
      assertTrue(
          ALL_PASSED.matcher(check.output()).find(),
          "bullmq-check.js reports every check passed; its output:\n" + check.output());
    }
  }

  private record Result(int exitCode, String output) {}

  /** Runs {@code command} in the interop project, killing it after {@code timeout}. */
  private static Result run(Duration timeout, String... command)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("bullmq-interop", ".log");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(List.of(command))
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        throw new IOException(
            "cannot run " + command[0] + " (Node.js and npm are needed; .ci/run installs them)", e);
      }
      process.getOutputStream().close();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertTrue(
          finished, String.join(" ", command) + " finished within " + timeout + ":\n" + text);
      return new Result(process.exitValue(), text);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
