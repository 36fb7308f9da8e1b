package dev.sluice.proxy.keyspace;

/**
 * The event classes of {@code notify-keyspace-events}, with Redis's flag letters: K keyspace
 * channel, E keyevent channel, g generic, $ string, l list, s set, h hash, z zset, x expired, e
 * evicted, t stream, m key miss, d module, n new key, A alias for "g$lshzxetd".
 */
public final class NotifyFlags {
  private NotifyFlags() {}

  public static final int KEYSPACE = 1;
  public static final int KEYEVENT = 1 << 1;
  public static final int GENERIC = 1 << 2;
  public static final int STRING = 1 << 3;
  public static final int LIST = 1 << 4;
  public static final int SET = 1 << 5;
  public static final int HASH = 1 << 6;
  public static final int ZSET = 1 << 7;
  public static final int EXPIRED = 1 << 8;
  public static final int EVICTED = 1 << 9;
  public static final int STREAM = 1 << 10;
  public static final int KEY_MISS = 1 << 11;
  public static final int MODULE = 1 << 12;
  public static final int NEW = 1 << 13;
  public static final int ALL =
      GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

  /** Parses Redis's flag letters; returns -1 for an unknown letter. */
  public static int parse(String letters) {
    int flags = 0;
    for (char c : letters.toCharArray()) {
      flags |=
          switch (c) {
            case 'A' -> ALL;
            case 'g' -> GENERIC;
            case '$' -> STRING;
            case 'l' -> LIST;
            case 's' -> SET;
            case 'h' -> HASH;
            case 'z' -> ZSET;
            case 'x' -> EXPIRED;
            case 'e' -> EVICTED;
            case 'K' -> KEYSPACE;
            case 'E' -> KEYEVENT;
            case 't' -> STREAM;
            case 'm' -> KEY_MISS;
            case 'd' -> MODULE;
            case 'n' -> NEW;
            default -> Integer.MIN_VALUE;
          };
      if (flags < 0) {
        return -1;
      }
    }
    return flags;
  }

  /** The letters for a set of flags, as CONFIG GET shows them (Redis's order). */
  public static String format(int flags) {
    StringBuilder out = new StringBuilder();
    if ((flags & ALL) == ALL) {
      out.append('A');
    } else {
      append(out, flags, GENERIC, 'g');
      append(out, flags, STRING, '$');
      append(out, flags, LIST, 'l');
      append(out, flags, SET, 's');
      append(out, flags, HASH, 'h');
      append(out, flags, ZSET, 'z');
      append(out, flags, EXPIRED, 'x');
      append(out, flags, EVICTED, 'e');
      append(out, flags, STREAM, 't');
      append(out, flags, MODULE, 'd');
    }
    append(out, flags, KEYSPACE, 'K');
    append(out, flags, KEYEVENT, 'E');
    append(out, flags, KEY_MISS, 'm');
    append(out, flags, NEW, 'n');
    return out.toString();
  }

  private static void append(StringBuilder out, int flags, int flag, char letter) {
    if ((flags & flag) != 0) {
      out.append(letter);
    }
  }
}
