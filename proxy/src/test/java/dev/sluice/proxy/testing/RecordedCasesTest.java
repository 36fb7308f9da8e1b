package dev.sluice.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A golden file of redis-server's replies replayed against Sluice: each case of {@code
 * golden/NAME.json} is a test of its own, run by {@link RecordedCases#replay} on one server started
 * for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RecordedCasesTest {
  protected final JsonNode golden;
  private TestServer server;

  protected RecordedCasesTest(String name) {
    golden = RecordedCases.read(name);
  }

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  protected Stream<Named<JsonNode>> cases() {
    return RecordedCases.named(golden);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void command_recordedCase_repliesAsRedisServer(JsonNode c) {
    RecordedCases.replay(server.port(), golden, c);
  }
}
