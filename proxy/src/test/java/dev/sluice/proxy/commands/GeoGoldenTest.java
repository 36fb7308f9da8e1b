package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RecordedRepliesTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The geo commands against redis-server's own replies ({@code golden/geo.json}, recorded by {@code
 * tools/golden/record.sh geo} from {@code geo.cases.json}, replayed as {@link RecordedRepliesTest}
 * says), the dirty counts included.
 */
class GeoGoldenTest extends RecordedRepliesTest {
  GeoGoldenTest() {
    super("geo");
  }

  /** The golden file is redis-server's, and holds cases for every geo command. */
  @Test
  void golden_recordedFromRedis_coversEveryGeoCommand() {
    assertTrue(golden.get("recorded_from").asText().startsWith("redis-server 7."));
    List<String> sent = new ArrayList<>();
    golden
        .get("cases")
        .forEach(c -> c.get("steps").forEach(s -> sent.add(s.get("cmd").get(0).asText())));
    for (String command :
        List.of(
            "GEOADD",
            "GEOPOS",
            "GEODIST",
            "GEOHASH",
            "GEOSEARCH",
            "GEOSEARCHSTORE",
            "GEORADIUS",
            "GEORADIUS_RO",
            "GEORADIUSBYMEMBER",
            "GEORADIUSBYMEMBER_RO")) {
      assertTrue(sent.contains(command), command + " in the golden file");
    }
  }
}
