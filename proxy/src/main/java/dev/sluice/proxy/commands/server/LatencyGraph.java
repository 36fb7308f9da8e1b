package dev.sluice.proxy.commands.server;

import dev.sluice.proxy.engine.LatencyMonitor;
import java.util.List;

/**
 * LATENCY GRAPH's text, as Redis's latencyCommandGenSparkeline and sparkline.c draw it: a title, 80
 * dashes, then columns of at most 80 samples, four rows high and filled under the curve, each
 * labelled with how long ago it was (seconds, minutes, hours or days) written downwards.
 */
final class LatencyGraph {
  private static final int COLUMNS = 80;
  private static final int ROWS = 4;
  private static final String CHARSET_FILL = "_o#";
  private static final int LABEL_MARGIN_TOP = 1;

  private LatencyGraph() {}

  static String render(LatencyMonitor.History history, long nowSeconds) {
    List<LatencyMonitor.Sample> samples = history.samples();
    int length = samples.size();
    double[] values = new double[length];
    String[] labels = new String[length];
    long min = 0;
    long max = 0;
    for (int j = 0; j < length; j++) {
      LatencyMonitor.Sample sample = samples.get(j);
      long latency = sample.latency();
      min = j == 0 ? latency : Math.min(min, latency);
      max = j == 0 ? latency : Math.max(max, latency);
      values[j] = latency;
      labels[j] = ago((int) (nowSeconds - sample.time()));
    }
    StringBuilder graph = new StringBuilder();
    graph
        .append(history.event())
        .append(" - high ")
        .append(max)
        .append(" ms, low ")
        .append(min)
        .append(" ms (all time high ")
        .append(history.max())
        .append(" ms)\n");
    graph.append("-".repeat(COLUMNS)).append('\n');
    // sparkline.c's sequence: min and max of the values as they were added
    double seqMin = length == 0 ? 0 : values[0];
    double seqMax = seqMin;
    for (int j = 1; j < length; j++) {
      if (values[j] < seqMin) {
        seqMin = values[j];
      } else if (values[j] > seqMax) {
        seqMax = values[j];
      }
    }
    for (int j = 0; j < length; j += COLUMNS) {
      if (j != 0) {
        graph.append('\n');
      }
      renderRange(graph, values, labels, seqMin, seqMax, j, Math.min(COLUMNS, length - j));
    }
    return graph.toString();
  }

  /** The label of a sample {@code elapsed} seconds old. */
  private static String ago(int elapsed) {
    if (elapsed < 60) {
      return elapsed + "s";
    } else if (elapsed < 3600) {
      return elapsed / 60 + "m";
    } else if (elapsed < 3600 * 24) {
      return elapsed / 3600 + "h";
    }
    return elapsed / (3600 * 24) + "d";
  }

  /** sparklineRenderRange with SPARKLINE_FILL: the rows of the curve, then the labels' rows. */
  private static void renderRange(
      StringBuilder out,
      double[] values,
      String[] labels,
      double min,
      double max,
      int offset,
      int len) {
    double relmax = max - min;
    int steps = CHARSET_FILL.length() * ROWS;
    if (relmax == 0) {
      relmax = 1;
    }
    boolean anyLabel = false;
    for (String label : labels) {
      anyLabel |= !label.isEmpty();
    }
    char[] chars = new char[len];
    int row = 0;
    boolean loop = true;
    while (loop) {
      loop = false;
      java.util.Arrays.fill(chars, ' ');
      for (int j = 0; j < len; j++) {
        double relval = values[j + offset] - min;
        int step = (int) ((int) (relval * steps) / relmax);
        step = Math.max(0, Math.min(steps - 1, step));
        if (row < ROWS) {
          int charidx = step - ((ROWS - row - 1) * CHARSET_FILL.length());
          loop = true;
          if (charidx >= 0 && charidx < CHARSET_FILL.length()) {
            chars[j] = CHARSET_FILL.charAt(charidx);
          } else if (charidx >= CHARSET_FILL.length()) {
            chars[j] = '|';
          }
        } else {
          if (anyLabel && row - ROWS < LABEL_MARGIN_TOP) {
            loop = true;
            break;
          }
          String label = labels[j + offset];
          int labelChar = row - ROWS - LABEL_MARGIN_TOP;
          if (label.length() > labelChar) {
            loop = true;
            chars[j] = label.charAt(labelChar);
          }
        }
      }
      if (loop) {
        row++;
        out.append(chars).append('\n');
      }
    }
  }
}
