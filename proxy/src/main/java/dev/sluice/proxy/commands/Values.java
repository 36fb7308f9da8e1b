package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.RedisValue;

/** Type checks on stored values, with Redis's WRONGTYPE error. */
public final class Values {
  /** The longest string Sluice can hold: the JVM's largest array, below Redis's 512 MB cap. */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private Values() {}

  /** The string value of an entry, null for a missing key, WRONGTYPE for another type. */
  public static byte[] string(Entry entry) {
    if (entry == null) {
      return null;
    }
    if (entry.value() instanceof byte[] bytes) {
      return bytes;
    }
    throw new RedisError(Errors.WRONGTYPE);
  }

  /** The value of an entry as {@code type}, null for a missing key, WRONGTYPE for another type. */
  public static <T extends RedisValue> T as(Entry entry, Class<T> type) {
    if (entry == null) {
      return null;
    }
    if (type.isInstance(entry.value())) {
      return type.cast(entry.value());
    }
    throw new RedisError(Errors.WRONGTYPE);
  }

  /** The name TYPE reports. */
  public static String typeName(Object value) {
    return value instanceof byte[] ? "string" : ((RedisValue) value).typeName();
  }

  /** The name OBJECT ENCODING reports, following Redis's rules for strings. */
  public static String encoding(Object value) {
    if (value instanceof byte[] bytes) {
      if (bytes.length <= 20 && Numbers.isCanonicalLong(bytes)) {
        return "int";
      }
      return bytes.length <= 44 ? "embstr" : "raw";
    }
    return ((RedisValue) value).encoding();
  }

  /** An independent copy for COPY; strings are never changed in place, so they are shared. */
  public static Object copy(Object value) {
    return value instanceof byte[] ? value : ((RedisValue) value).copy();
  }
}
