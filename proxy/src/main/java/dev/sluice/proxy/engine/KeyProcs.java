package dev.sluice.proxy.engine;

/** The key procedures of Redis's db.c that Sluice's commands use, with their quirks. */
public final class KeyProcs {
  private KeyProcs() {}

  /**
   * Redis's genericGetKeys: {@code [destkey] numkeys key [key …] …}. The count is read as C's atoi
   * reads it ("2abc" is 2); a count below 1 or past the arguments finds no key. The keys come
   * first, the destination last, all without flags.
   *
   * @param storeIndex the destination's index, or 0 when there is none
   */
  public static KeyProc numKeys(int storeIndex, int countIndex, int firstIndex, int step) {
    return (args, out) -> {
      int count = atoi(args[countIndex]);
      if (count < 1 || count > (args.length - firstIndex) / step) {
        return;
      }
      for (int i = 0; i < count; i++) {
        out.add(firstIndex + i * step, 0);
      }
      if (storeIndex != 0) {
        out.add(storeIndex, 0);
      }
    };
  }

  /** Redis's setGetKeys: SET reads its key only with GET, else overwrites it. */
  public static final KeyProc SET =
      (args, out) -> {
        for (int i = 3; i < args.length; i++) {
          if (isGet(args[i])) {
            out.add(1, KeyFlag.RW.bit() | KeyFlag.ACCESS.bit() | KeyFlag.UPDATE.bit());
            return;
          }
        }
        out.add(1, KeyFlag.OW.bit() | KeyFlag.UPDATE.bit());
      };

  /** Redis's bitfieldGetKeys: read-only while every operation is a GET (OVERFLOW aside). */
  public static final KeyProc BITFIELD =
      (args, out) -> {
        boolean readOnly = true;
        for (int i = 2; i < args.length; i++) {
          int remaining = args.length - i - 1;
          String op = new String(args[i], java.nio.charset.StandardCharsets.ISO_8859_1);
          if (op.equalsIgnoreCase("get") && remaining >= 2) {
            i += 2;
          } else if ((op.equalsIgnoreCase("set") || op.equalsIgnoreCase("incrby"))
              && remaining >= 3) {
            readOnly = false;
            break;
          } else if (op.equalsIgnoreCase("overflow") && remaining >= 1) {
            i += 1;
          } else {
            readOnly = false; // a syntax error: assume it writes
            break;
          }
        }
        out.add(
            1,
            readOnly
                ? KeyFlag.RO.bit() | KeyFlag.ACCESS.bit()
                : KeyFlag.RW.bit() | KeyFlag.ACCESS.bit() | KeyFlag.UPDATE.bit());
      };

  /**
   * Redis's sortGetKeys: the sorted key, then the destination of the last STORE that has an
   * argument after it. LIMIT's two arguments and GET's and BY's one are skipped, so a pattern
   * spelled "store" is no keyword; STORE's own argument is not skipped, as in Redis.
   */
  public static final KeyProc SORT =
      (args, out) -> {
        out.add(1, KeyFlag.RO.bit() | KeyFlag.ACCESS.bit());
        int store = 0;
        for (int i = 2; i < args.length; i++) {
          String word = new String(args[i], java.nio.charset.StandardCharsets.ISO_8859_1);
          if (word.equalsIgnoreCase("limit")) {
            i += 2;
          } else if (word.equalsIgnoreCase("get") || word.equalsIgnoreCase("by")) {
            i += 1;
          } else if (word.equalsIgnoreCase("store") && i + 1 < args.length) {
            store = i + 1;
          }
        }
        if (store != 0) {
          out.add(store, KeyFlag.OW.bit() | KeyFlag.UPDATE.bit());
        }
      };

  /** Redis's sortROGetKeys: only the sorted key (its BY and GET keys cannot be told). */
  public static final KeyProc SORT_RO =
      (args, out) -> out.add(1, KeyFlag.RO.bit() | KeyFlag.ACCESS.bit());

  /** Redis's migrateGetKeys: the key, or those after KEYS when the key is "". */
  public static final KeyProc MIGRATE =
      (args, out) -> {
        int first = 3;
        int count = 1;
        for (int i = 6; i < args.length; i++) {
          String word = new String(args[i], java.nio.charset.StandardCharsets.ISO_8859_1);
          if (word.equalsIgnoreCase("keys")) {
            if (args[3].length > 0) {
              count = 0; // the command's syntax error, not a key
            } else {
              first = i + 1;
              count = args.length - first;
            }
            break;
          } else if (word.equalsIgnoreCase("auth")) {
            i += 1;
          } else if (word.equalsIgnoreCase("auth2")) {
            i += 2;
          }
        }
        int flags = KeyFlag.RW.bit() | KeyFlag.ACCESS.bit() | KeyFlag.DELETE.bit();
        for (int i = 0; i < count; i++) {
          out.add(first + i, flags);
        }
      };

  /** "get" in any case, as Redis compares it: the C string ends at the first NUL. */
  private static boolean isGet(byte[] arg) {
    return arg.length >= 3
        && (arg[0] | 0x20) == 'g'
        && (arg[1] | 0x20) == 'e'
        && (arg[2] | 0x20) == 't'
        && (arg.length == 3 || arg[3] == 0);
  }

  /** C's atoi: blanks, a sign, then digits up to the first other byte; 0 when there are none. */
  static int atoi(byte[] text) {
    int i = 0;
    while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
      i++;
    }
    boolean negative = false;
    if (i < text.length && (text[i] == '-' || text[i] == '+')) {
      negative = text[i] == '-';
      i++;
    }
    long value = 0;
    for (; i < text.length && text[i] >= '0' && text[i] <= '9'; i++) {
      value = Math.min(value * 10 + (text[i] - '0'), (long) Integer.MAX_VALUE + 1);
    }
    return (int)
        Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, negative ? -value : value));
  }
}
