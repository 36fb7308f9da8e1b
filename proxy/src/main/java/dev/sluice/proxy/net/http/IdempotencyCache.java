package dev.sluice.proxy.net.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of ingest requests that carried an {@code Idempotency-Key}, by mapping and key: a retry
 * gets the first answer without ingesting again. Kept in memory only (lost at restart), for at most
 * {@link #TTL_MILLIS} (24 hours) and at most {@link #MAX_ENTRIES} answers, least recently used
 * first out. Only final answers are kept (status below 500): after a 503 a retry runs again.
 */
final class IdempotencyCache {
  static final int MAX_ENTRIES = 10_000;
  static final long TTL_MILLIS = 24 * 60 * 60 * 1000L;

  /** A stored answer. */
  record Answer(int status, byte[] body, long atMillis) {}

  /** Marks a request with this key still running. */
  static final Answer IN_FLIGHT = new Answer(0, new byte[0], 0);

  private final Map<String, Answer> answers =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  private static String id(String mapping, String key) {
    return mapping + '\u0000' + key;
  }

  /**
   * The stored answer (or {@link #IN_FLIGHT}) for the key; when there is none, records the request
   * as in flight and returns null: the caller must then {@link #finish} it.
   */
  synchronized Answer begin(String mapping, String key) {
    String id = id(mapping, key);
    Answer a = answers.get(id);
    if (a != null && a != IN_FLIGHT && System.currentTimeMillis() - a.atMillis() > TTL_MILLIS) {
      answers.remove(id);
      a = null;
    }
    if (a == null) {
      answers.put(id, IN_FLIGHT);
    }
    return a;
  }

  synchronized void finish(String mapping, String key, int status, byte[] body) {
    if (status >= 500) {
      answers.remove(id(mapping, key));
    } else {
      answers.put(id(mapping, key), new Answer(status, body, System.currentTimeMillis()));
    }
  }
}
