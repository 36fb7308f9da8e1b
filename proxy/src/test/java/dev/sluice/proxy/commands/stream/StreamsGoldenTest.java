package dev.sluice.proxy.commands.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.testing.RecordedRepliesTest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The stream commands against redis-server's own replies: {@code golden/streams.json}, recorded by
 * {@code tools/golden/record.sh streams} from {@code streams.cases.json} (itself written by {@code
 * tools/golden/streams-cases.py}). Each case runs on a fresh connection after FLUSHALL and every
 * reply must be redis-server's byte for byte, or Redis 7.4's ({@code redis_7_4}) where it differs
 * from the 7.0.15 that recorded the file; replies holding idle times or clock times are marked
 * {@code any_reply}. Steps marked {@code dirty} check INFO's rdb_changes_since_last_save too.
 */
class StreamsGoldenTest extends RecordedRepliesTest {
  StreamsGoldenTest() {
    super("streams");
  }

  /** The file is redis-server's and sends every stream command (and subcommand) at least once. */
  @Test
  void golden_recordedFromRedis_coversEveryStreamCommand() {
    assertTrue(golden.get("recorded_from").asText().startsWith("redis-server 7."));
    Set<String> sent = new TreeSet<>();
    golden
        .get("cases")
        .forEach(
            c ->
                c.get("steps")
                    .forEach(
                        s -> {
                          JsonNode cmd = s.get("cmd");
                          String name = cmd.get(0).asText().toLowerCase();
                          sent.add(name);
                          if (cmd.size() > 1) {
                            sent.add(name + "|" + cmd.get(1).asText().toLowerCase());
                          }
                        }));
    for (String command :
        List.of(
            "xadd",
            "xrange",
            "xrevrange",
            "xlen",
            "xdel",
            "xtrim",
            "xsetid",
            "xread",
            "xreadgroup",
            "xack",
            "xpending",
            "xclaim",
            "xautoclaim",
            "xgroup|create",
            "xgroup|createconsumer",
            "xgroup|delconsumer",
            "xgroup|destroy",
            "xgroup|setid",
            "xgroup|help",
            "xinfo|stream",
            "xinfo|groups",
            "xinfo|consumers",
            "xinfo|help")) {
      assertTrue(sent.contains(command), command + " in " + sent);
    }
  }
}
