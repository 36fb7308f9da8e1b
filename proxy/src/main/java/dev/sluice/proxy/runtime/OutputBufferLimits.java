package dev.sluice.proxy.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * client-output-buffer-limit per client class, as Redis: a client whose unsent replies pass the
 * hard limit, or stay above the soft limit for the soft seconds, is disconnected.
 */
public final class OutputBufferLimits {
  /** One class's limits; 0 disables a limit. */
  public record Limit(long hardBytes, long softBytes, long softSeconds) {}

  private final Map<String, Limit> limits = new LinkedHashMap<>();

  OutputBufferLimits() {
    limits.put("normal", new Limit(0, 0, 0));
    limits.put("replica", new Limit(268435456L, 67108864L, 60));
    limits.put("pubsub", new Limit(33554432L, 8388608L, 60));
  }

  /** Applies the classes named in a normalised value; returns all classes, as CONFIG GET shows. */
  synchronized String merge(String normalised) {
    String[] words = normalised.split(" ");
    for (int i = 0; i + 3 < words.length; i += 4) {
      limits.put(
          words[i],
          new Limit(
              Long.parseLong(words[i + 1]),
              Long.parseLong(words[i + 2]),
              Long.parseLong(words[i + 3])));
    }
    StringBuilder all = new StringBuilder();
    limits.forEach(
        (kind, limit) ->
            all.append(all.isEmpty() ? "" : " ")
                .append(kind)
                .append(' ')
                .append(limit.hardBytes())
                .append(' ')
                .append(limit.softBytes())
                .append(' ')
                .append(limit.softSeconds()));
    return all.toString();
  }

  public synchronized Limit of(String kind) {
    return limits.get(kind);
  }

  /**
   * Whether a client with {@code pendingBytes} unsent must go. {@code softSince} holds when it
   * first passed the soft limit (0: it is below); the method updates it.
   */
  public static boolean exceeded(Limit limit, long pendingBytes, long[] softSince, long nowMillis) {
    if (limit.hardBytes() > 0 && pendingBytes >= limit.hardBytes()) {
      return true;
    }
    if (limit.softBytes() > 0 && pendingBytes >= limit.softBytes()) {
      if (softSince[0] == 0) {
        softSince[0] = nowMillis;
        return false;
      }
      return nowMillis - softSince[0] > limit.softSeconds() * 1000;
    }
    softSince[0] = 0;
    return false;
  }
}
