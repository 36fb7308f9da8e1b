package dev.sluice.proxy.commands.string;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** APPEND, STRLEN, GETRANGE (and SUBSTR), SETRANGE and LCS: strings as runs of bytes. */
final class StringRanges {
  private StringRanges() {}

  static void append(CommandContext c) {
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    byte[] suffix = c.arg(2);
    if (current == null) {
      db.insert(c.arg(1), suffix);
      c.dirty(1);
      c.notify(NotifyFlags.STRING, "append", c.arg(1));
      c.reply().integer(suffix.length);
      return;
    }
    checkStringLength(c, current.length, suffix.length);
    byte[] joined = Arrays.copyOf(current, current.length + suffix.length);
    System.arraycopy(suffix, 0, joined, current.length, suffix.length);
    db.replace(entry, joined);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "append", c.arg(1));
    c.reply().integer(joined.length);
  }

  /**
   * Redis's checkStringLength: refuses a string of {@code size + append} bytes (both non-negative)
   * over proto-max-bulk-len, or whose length overflows. Over {@link Values#MAX_ARRAY} too, Sluice's
   * own limit when proto-max-bulk-len is set above it.
   */
  static void checkStringLength(CommandContext c, long size, long append) {
    long total = size + append;
    if (total < 0 || total > c.engine().protoMaxBulkLen() || total > Values.MAX_ARRAY) {
      throw new RedisError(Errors.STRING_TOO_LONG);
    }
  }

  static void strlen(CommandContext c) {
    byte[] value = Values.string(c.db().read(c.arg(1)));
    c.reply().integer(value == null ? 0 : value.length);
  }

  static void getrange(CommandContext c) {
    long start = c.longArg(2);
    long end = c.longArg(3);
    byte[] value = Values.string(c.db().read(c.arg(1)));
    if (value == null || value.length == 0 || (start < 0 && end < 0 && start > end)) {
      c.reply().bulk(new byte[0]);
      return;
    }
    long length = value.length;
    if (start < 0) {
      start = Math.max(0, length + start);
    }
    if (end < 0) {
      end = Math.max(0, length + end);
    }
    end = Math.min(end, length - 1);
    if (start > end) {
      c.reply().bulk(new byte[0]);
      return;
    }
    c.reply().bulk(Arrays.copyOfRange(value, (int) start, (int) end + 1));
  }

  static void setrange(CommandContext c) {
    long offset = c.longArg(2);
    if (offset < 0) {
      throw new RedisError(Errors.OFFSET_OUT_OF_RANGE);
    }
    byte[] patch = c.arg(3);
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    if (patch.length == 0) {
      c.reply().integer(current == null ? 0 : current.length);
      return;
    }
    checkStringLength(c, offset, patch.length);
    int oldLength = current == null ? 0 : current.length;
    byte[] result =
        Arrays.copyOf(
            current == null ? new byte[0] : current,
            (int) Math.max(oldLength, offset + patch.length));
    System.arraycopy(patch, 0, result, (int) offset, patch.length);
    if (entry == null) {
      db.insert(c.arg(1), result);
    } else {
      db.replace(entry, result);
    }
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "setrange", c.arg(1));
    c.reply().integer(result.length);
  }

  /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], as Redis's dynamic program. */
  static void lcs(CommandContext c) {
    boolean len = false;
    boolean idx = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int i = 3; i < c.argc(); i++) {
      if (c.is(i, "len")) {
        len = true;
      } else if (c.is(i, "idx")) {
        idx = true;
      } else if (c.is(i, "withmatchlen")) {
        withMatchLen = true;
      } else if (c.is(i, "minmatchlen") && i + 1 < c.argc()) {
        minMatchLen = Math.max(0, c.longArg(++i));
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    byte[] a;
    byte[] b;
    try {
      a = Values.string(c.db().read(c.arg(1)));
      b = Values.string(c.db().read(c.arg(2)));
    } catch (RedisError e) {
      throw new RedisError("ERR The specified keys must contain string values");
    }
    if (len && idx) {
      throw new RedisError("ERR If you want both the length and indexes, please just use IDX.");
    }
    a = a == null ? new byte[0] : a;
    b = b == null ? new byte[0] : b;
    int alen = a.length;
    int blen = b.length;
    if ((long) (alen + 1) * (blen + 1) * 4 > c.engine().protoMaxBulkLen()) {
      throw new RedisError(
          "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    }
    int[] table = new int[(alen + 1) * (blen + 1)];
    int width = blen + 1;
    for (int i = 1; i <= alen; i++) {
      for (int j = 1; j <= blen; j++) {
        table[i * width + j] =
            a[i - 1] == b[j - 1]
                ? table[(i - 1) * width + j - 1] + 1
                : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
      }
    }
    int length = table[alen * width + blen];
    if (len) {
      c.reply().integer(length);
      return;
    }
    byte[] result = new byte[length];
    List<long[]> matches = new ArrayList<>();
    int i = alen;
    int j = blen;
    int position = length;
    int aStart = alen;
    int aEnd = 0;
    int bStart = 0;
    int bEnd = 0;
    while (i > 0 && j > 0) {
      boolean emit = false;
      if (a[i - 1] == b[j - 1]) {
        result[--position] = a[i - 1];
        if (aStart == alen) {
          aStart = aEnd = i - 1;
          bStart = bEnd = j - 1;
        } else if (aStart == i && bStart == j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart == 0 || bStart == 0) {
          emit = true;
        }
        i--;
        j--;
      } else {
        if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
          i--;
        } else {
          j--;
        }
        if (aStart != alen) {
          emit = true;
        }
      }
      if (emit) {
        long matchLen = aEnd - aStart + 1;
        if (minMatchLen == 0 || matchLen >= minMatchLen) {
          matches.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
        }
        aStart = alen;
      }
    }
    Reply reply = c.reply();
    if (!idx) {
      reply.bulk(result);
      return;
    }
    reply.map(2);
    reply.bulk("matches");
    reply.array(matches.size());
    for (long[] m : matches) {
      reply.array(withMatchLen ? 3 : 2);
      reply.array(2);
      reply.integer(m[0]);
      reply.integer(m[1]);
      reply.array(2);
      reply.integer(m[2]);
      reply.integer(m[3]);
      if (withMatchLen) {
        reply.integer(m[4]);
      }
    }
    reply.bulk("len");
    reply.integer(length);
  }
}
