package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Engine;
import java.util.concurrent.ThreadLocalRandom;

/**
 * LOLWUT [VERSION v] [args…] as Redis's lolwut.c: version 5 draws Georg Nees's Schotter in braille
 * (lolwut5.c), version 6 a skyline in terminal grays (lolwut6.c), any other the version line only,
 * which is what Sluice's own version (7.4.0) answers. The pictures take their randomness where
 * Redis calls rand(), so only their deterministic parts (the first two rows of squares) match
 * redis-server's byte for byte.
 */
final class LolwutCommand {
  private static final int RAND_MAX = Integer.MAX_VALUE;

  private LolwutCommand() {}

  static void register(CommandTable t) {
    t.register(
        command("lolwut", -1, LolwutCommand::lolwut)
            .flags(READONLY, FAST)
            .group("server")
            .doc("Displays computer art and the Redis version", "5.0.0", null));
  }

  private static void lolwut(CommandContext c) {
    String version = Engine.REDIS_VERSION;
    int first = 1;
    if (c.argc() >= 3 && c.is(1, "version")) {
      // Redis prints the number as "%u.0.0" of an unsigned int, then looks at its first characters
      version = Integer.toUnsignedString((int) c.longArg(2)) + ".0.0";
      first = 3;
    }
    if (version.matches("5\\.[^9].*|4\\.9.*")) {
      c.reply().verbatim(schotter(c, first));
    } else if (version.matches("6\\.[^9].*|5\\.9.*")) {
      c.reply().verbatim(skyline(c, first));
    } else {
      c.reply().verbatim("Redis ver. " + Engine.REDIS_VERSION + "\n");
    }
  }

  /** Optional argument {@code i} of a picture, clamped to [min, max] as Redis does. */
  private static long option(CommandContext c, int i, long fallback, long min, long max) {
    long value = i < c.argc() ? c.longArg(i) : fallback;
    return Math.max(min, Math.min(max, value));
  }

  private static int rand() {
    return ThreadLocalRandom.current().nextInt(RAND_MAX);
  }

  // ---- version 5: Schotter ----

  private static String schotter(CommandContext c, int first) {
    int cols = (int) option(c, first, 66, 1, 1000);
    int perRow = (int) option(c, first + 1, 8, 1, 200);
    int perCol = (int) option(c, first + 2, 12, 1, 200);
    Canvas canvas = drawSchotter(cols, perRow, perCol);
    return renderBraille(canvas)
        + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. "
        + Engine.REDIS_VERSION
        + "\n";
  }

  private static Canvas drawSchotter(int consoleCols, int squaresPerRow, int squaresPerCol) {
    int canvasWidth = consoleCols * 2;
    int padding = canvasWidth > 4 ? 2 : 0;
    float squareSide = (float) (canvasWidth - padding * 2) / squaresPerRow;
    int canvasHeight = (int) (squareSide * squaresPerCol + padding * 2);
    Canvas canvas = new Canvas(canvasWidth, canvasHeight, 0);
    for (int y = 0; y < squaresPerCol; y++) {
      for (int x = 0; x < squaresPerRow; x++) {
        int sx = (int) (x * squareSide + squareSide / 2 + padding);
        int sy = (int) (y * squareSide + squareSide / 2 + padding);
        float angle = 0;
        if (y > 1) {
          float r1 = (float) rand() / (float) RAND_MAX / squaresPerCol * y;
          float r2 = (float) rand() / (float) RAND_MAX / squaresPerCol * y;
          float r3 = (float) rand() / (float) RAND_MAX / squaresPerCol * y;
          if (rand() % 2 != 0) {
            r1 = -r1;
          }
          if (rand() % 2 != 0) {
            r2 = -r2;
          }
          if (rand() % 2 != 0) {
            r3 = -r3;
          }
          angle = r1;
          // C's compound assignment adds in float, then truncates
          sx = (int) (sx + r2 * squareSide / 3);
          sy = (int) (sy + r3 * squareSide / 3);
        }
        canvas.square(sx, sy, squareSide, angle, 1);
      }
    }
    return canvas;
  }

  /** Each 2x4 block of pixels as one braille character (U+2800 plus its dots). */
  private static String renderBraille(Canvas canvas) {
    StringBuilder text = new StringBuilder();
    for (int y = 0; y < canvas.height; y += 4) {
      for (int x = 0; x < canvas.width; x += 2) {
        int dots = 0;
        dots |= canvas.get(x, y) != 0 ? 1 : 0;
        dots |= canvas.get(x, y + 1) != 0 ? 1 << 1 : 0;
        dots |= canvas.get(x, y + 2) != 0 ? 1 << 2 : 0;
        dots |= canvas.get(x + 1, y) != 0 ? 1 << 3 : 0;
        dots |= canvas.get(x + 1, y + 1) != 0 ? 1 << 4 : 0;
        dots |= canvas.get(x + 1, y + 2) != 0 ? 1 << 5 : 0;
        dots |= canvas.get(x, y + 3) != 0 ? 1 << 6 : 0;
        dots |= canvas.get(x + 1, y + 3) != 0 ? 1 << 7 : 0;
        text.append((char) (0x2800 + dots));
      }
      if (y != canvas.height - 1) {
        text.append('\n');
      }
    }
    return text.toString();
  }

  // ---- version 6: a skyline ----

  private static String skyline(CommandContext c, int first) {
    int cols = (int) option(c, first, 80, 1, 1000);
    int rows = (int) option(c, first + 1, 20, 1, 1000);
    Canvas canvas = new Canvas(cols, rows, 3);
    drawSkyline(canvas);
    return renderGrays(canvas)
        + "\nDedicated to the 8 bit game developers of past and present.\n"
        + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. "
        + Engine.REDIS_VERSION
        + "\n";
  }

  private static void drawSkyline(Canvas canvas) {
    // the lighter background first, so that it stays behind
    for (int color = 2; color >= 1; color--) {
      for (int offset = -10; offset < canvas.width; ) {
        offset += rand() % 8;
        int width = 10 + rand() % 9;
        int height =
            color == 2
                ? canvas.height / 2 + (rand() % canvas.height) / 2
                : canvas.height / 2 + (rand() % canvas.height) / 3;
        skyscraper(canvas, offset, width, height, false, color);
        offset += color == 2 ? width / 2 : width + 1;
      }
    }
    for (int offset = -10; offset < canvas.width; ) {
      offset += rand() % 8;
      int width = 5 + rand() % 14;
      if (width % 4 != 0) {
        width += width % 3;
      }
      int height = canvas.height / 3 + (rand() % canvas.height) / 2;
      skyscraper(canvas, offset, width, height, true, 0);
      offset += width + 5;
    }
  }

  private static void skyscraper(
      Canvas canvas, int xoff, int width, int height, boolean windows, int color) {
    int starty = canvas.height - 1;
    int endy = starty - height + 1;
    for (int y = starty; y >= endy; y--) {
      for (int x = xoff; x < xoff + width; x++) {
        if (y == endy && (x <= xoff + 1 || x >= xoff + width - 2)) {
          continue; // the roof is four pixels narrower
        }
        int pixel = color;
        if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
          int relx = x - (xoff + 1);
          int rely = y - (endy + 1);
          // windows two pixels wide and one tall: terminal characters are not square
          if ((relx / 2) % 2 != 0 && rely % 2 != 0) {
            do {
              pixel = 1 + rand() % 2;
            } while (pixel == color);
            if (relx % 2 != 0) {
              pixel = canvas.get(x - 1, y);
            }
          }
        }
        canvas.set(x, y, pixel);
      }
    }
  }

  private static String renderGrays(Canvas canvas) {
    StringBuilder text = new StringBuilder();
    for (int y = 0; y < canvas.height; y++) {
      for (int x = 0; x < canvas.width; x++) {
        String escape =
            switch (canvas.get(x, y)) {
              case 1 -> "0;90;100m";
              case 2 -> "0;37;47m";
              case 3 -> "0;97;107m";
              default -> "0;30;40m";
            };
        text.append("\033[").append(escape).append(" \033[0m");
      }
      if (y != canvas.height - 1) {
        text.append('\n');
      }
    }
    return text.toString();
  }

  /** lolwut.c's canvas: one byte of color per pixel, drawing outside it ignored. */
  private static final class Canvas {
    final int width;
    final int height;
    final byte[] pixels;

    Canvas(int width, int height, int background) {
      this.width = width;
      this.height = height;
      this.pixels = new byte[width * height];
      java.util.Arrays.fill(pixels, (byte) background);
    }

    void set(int x, int y, int color) {
      if (x >= 0 && x < width && y >= 0 && y < height) {
        pixels[x + y * width] = (byte) color;
      }
    }

    int get(int x, int y) {
      return x >= 0 && x < width && y >= 0 && y < height ? pixels[x + y * width] : 0;
    }

    /** Bresenham's line, as lwDrawLine. */
    void line(int x1, int y1, int x2, int y2, int color) {
      int dx = Math.abs(x2 - x1);
      int dy = Math.abs(y2 - y1);
      int sx = x1 < x2 ? 1 : -1;
      int sy = y1 < y2 ? 1 : -1;
      int err = dx - dy;
      while (true) {
        set(x1, y1, color);
        if (x1 == x2 && y1 == y2) {
          break;
        }
        int e2 = err * 2;
        if (e2 > -dy) {
          err -= dy;
          x1 += sx;
        }
        if (e2 < dx) {
          err += dx;
          y1 += sy;
        }
      }
    }

    /** lwDrawSquare, with C's float and double steps kept so the corners land on Redis's. */
    void square(int x, int y, float size, float angle, int color) {
      size = (float) (size / 1.4142135623);
      size = (float) cRound(size);
      int[] px = new int[4];
      int[] py = new int[4];
      float k = (float) (Math.PI / 4 + angle);
      for (int j = 0; j < 4; j++) {
        px[j] = (int) cRound(Math.sin(k) * size + x);
        py[j] = (int) cRound(Math.cos(k) * size + y);
        k = (float) (k + Math.PI / 2);
      }
      for (int j = 0; j < 4; j++) {
        line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
      }
    }

    /** C's round(): halves away from zero, where Math.round takes them up. */
    private static double cRound(double value) {
      return Math.copySign(Math.floor(Math.abs(value) + 0.5), value);
    }
  }
}
