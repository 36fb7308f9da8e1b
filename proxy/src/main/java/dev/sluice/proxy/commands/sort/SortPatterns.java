package dev.sluice.proxy.commands.sort;

import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.types.RedisHash;
import java.util.Arrays;

/** Redis's lookupKeyByPattern: the value a BY or GET pattern names for one element. */
final class SortPatterns {
  private SortPatterns() {}

  /**
   * "#" is the element itself; otherwise the first '*' is replaced by the element and the key read:
   * a string, or with "->field" after the '*' (a non-empty field) that field of a hash. Null when
   * there is no '*', no such key, or the key is of another type. Redis works on C strings, so the
   * pattern ends at its first NUL byte; the element is copied whole.
   */
  static byte[] lookup(Database db, byte[] pattern, byte[] element) {
    byte[] spat = cString(pattern);
    if (spat.length == 1 && spat[0] == '#') {
      return element;
    }
    int star = indexOf(spat, 0);
    if (star < 0) {
      return null;
    }
    int arrow = arrowAfter(spat, star + 1);
    byte[] field = null;
    int postfixEnd = spat.length;
    if (arrow >= 0 && arrow + 2 < spat.length) {
      field = Arrays.copyOfRange(spat, arrow + 2, spat.length);
      postfixEnd = arrow;
    }
    byte[] key = new byte[star + element.length + (postfixEnd - star - 1)];
    System.arraycopy(spat, 0, key, 0, star);
    System.arraycopy(element, 0, key, star, element.length);
    System.arraycopy(spat, star + 1, key, star + element.length, postfixEnd - star - 1);
    Entry entry = db.read(key);
    if (entry == null) {
      return null;
    }
    if (field != null) {
      return entry.value() instanceof RedisHash hash ? hash.get(field) : null;
    }
    return entry.value() instanceof byte[] bytes ? bytes : null;
  }

  private static byte[] cString(byte[] text) {
    for (int i = 0; i < text.length; i++) {
      if (text[i] == 0) {
        return Arrays.copyOf(text, i);
      }
    }
    return text;
  }

  private static int indexOf(byte[] text, int from) {
    for (int i = from; i < text.length; i++) {
      if (text[i] == '*') {
        return i;
      }
    }
    return -1;
  }

  private static int arrowAfter(byte[] text, int from) {
    for (int i = from; i + 1 < text.length; i++) {
      if (text[i] == '-' && text[i + 1] == '>') {
        return i;
      }
    }
    return -1;
  }
}
