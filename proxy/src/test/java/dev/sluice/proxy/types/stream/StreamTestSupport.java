package dev.sluice.proxy.types.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the stream tests. */
final class StreamTestSupport {
  private StreamTestSupport() {}

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String s(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  static StreamId id(String s) {
    return StreamId.parseStrict(b(s));
  }

  static byte[][] fv(String... fieldsValues) {
    byte[][] out = new byte[fieldsValues.length][];
    for (int i = 0; i < fieldsValues.length; i++) {
      out[i] = b(fieldsValues[i]);
    }
    return out;
  }

  /** XADD with an explicit ID. */
  static StreamId add(RedisStream stream, String id, String... fieldsValues) {
    return stream.add(StreamAddId.parse(b(id)), fv(fieldsValues), 0);
  }

  /** A stream with entries 1-0 .. n-0, each {f: v<i>}. */
  static RedisStream streamOf(int n) {
    RedisStream stream = new RedisStream();
    for (int i = 1; i <= n; i++) {
      add(stream, i + "-0", "f", "v" + i);
    }
    return stream;
  }

  static List<String> ids(List<StreamEntry> entries) {
    List<String> out = new ArrayList<>();
    for (StreamEntry e : entries) {
      out.add(e.id().toString());
    }
    return out;
  }

  /** "id f v f v" per entry, "id null" for an entry without fields. */
  static List<String> render(List<StreamEntry> entries) {
    List<String> out = new ArrayList<>();
    for (StreamEntry e : entries) {
      StringBuilder sb = new StringBuilder(e.id().toString());
      if (e.fieldsValues() == null) {
        sb.append(" null");
      } else {
        for (byte[] x : e.fieldsValues()) {
          sb.append(' ').append(s(x));
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  static List<StreamEntry> all(RedisStream stream) {
    return stream.range(StreamId.MIN, StreamId.MAX, false, 0);
  }
}
