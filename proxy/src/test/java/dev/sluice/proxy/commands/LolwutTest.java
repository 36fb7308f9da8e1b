package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parts of LOLWUT's pictures that Redis draws at random, by their shape: the skyline of version
 * 6 is a grid of gray cells, Schotter's lower rows are braille. The deterministic parts are
 * compared with redis-server in {@code LatencyGoldenTest}.
 */
class LolwutTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void lolwut6_size_gridOfGrayCellsThenDedication() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      String art = (String) c.call("LOLWUT", "VERSION", "6", "12", "5");
      List<String> lines = art.lines().toList();
      assertEquals(7, lines.size(), art);
      for (String row : lines.subList(0, 5)) {
        assertTrue(row.matches("(\033\\[0;(30;40|90;100|37;47|97;107)m \033\\[0m){12}"), row);
      }
      assertEquals("Dedicated to the 8 bit game developers of past and present.", lines.get(5));
      assertEquals(
          "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.4.0", lines.get(6));
    }
  }

  @Test
  void lolwut5_defaults_brailleRowsThenCaption() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      String art = (String) c.call("LOLWUT", "VERSION", "5");
      List<String> lines = art.lines().toList();
      // 66 columns of 2x4 pixels; 12 rows of squares of (132 - 4) / 8 = 16 pixels, and the padding
      int height = (int) (16f * 12 + 4);
      assertEquals((height + 3) / 4 + 2, lines.size(), art);
      for (String row : lines.subList(0, lines.size() - 2)) {
        assertTrue(row.matches("[\u2800-\u28ff]{66}"), row);
      }
      assertEquals(
          "Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.4.0",
          lines.get(lines.size() - 1));
    }
  }
}
