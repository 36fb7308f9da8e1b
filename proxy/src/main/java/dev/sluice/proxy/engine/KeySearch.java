package dev.sluice.proxy.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Redis 7's search for a command's keys (db.c), over a {@link CommandSpec}'s key specs. */
final class KeySearch {
  private KeySearch() {}

  /**
   * getKeysFromCommandWithSpecs: the key specs when they are complete and their flags fixed, else
   * (or when they fail on these arguments) the command's key procedure; no keys when it has none.
   */
  static FoundKeys find(CommandSpec spec, byte[][] args) {
    FoundKeys out = new FoundKeys(4);
    if (spec.hasKeySpecs() && !spec.hasVariableKeyFlags()) {
      if (bySpecs(spec.keySpecs(), args, out)) {
        return out;
      }
      out.clear();
    }
    if (spec.keyProc() != null) {
      spec.keyProc().find(args, out);
    }
    return out;
  }

  /**
   * getKeysUsingKeySpecs: adds the keys every spec finds; false when a spec cannot be followed on
   * these arguments (unknown, incomplete, a count that does not parse or runs past the end).
   */
  static boolean bySpecs(List<KeySpec> specs, byte[][] args, FoundKeys out) {
    int argc = args.length;
    for (KeySpec spec : specs) {
      if (spec.has(KeyFlag.NOT_KEY)) {
        continue;
      }
      int first;
      if (spec.begin() instanceof KeySpec.Index index) {
        first = index.index();
      } else if (spec.begin() instanceof KeySpec.Keyword keyword) {
        first = afterKeyword(keyword, args);
        if (first == 0) {
          continue; // the keyword is not there: no keys from this spec
        }
      } else {
        return false;
      }
      int last;
      int step;
      if (spec.find() instanceof KeySpec.Range range) {
        step = range.keyStep();
        if (range.lastKey() >= 0) {
          last = first + range.lastKey();
        } else if (range.limit() == 0) {
          last = argc + range.lastKey();
        } else {
          last = first + ((argc - first) / range.limit() + range.lastKey());
        }
      } else if (spec.find() instanceof KeySpec.KeyNum keyNum) {
        step = keyNum.keyStep();
        int at = first + keyNum.keyNumIdx();
        if (keyNum.keyNumIdx() >= argc || at >= argc) {
          return false;
        }
        long count;
        try {
          count = Numbers.parseLong(args[at], Errors.NOT_INTEGER);
        } catch (RedisError e) {
          return false;
        }
        if (count < 0) {
          return false;
        }
        first += keyNum.firstKey();
        last = (int) Math.min(Integer.MAX_VALUE, first + count - 1);
      } else {
        return false;
      }
      if (last >= argc || last < first || first >= argc) {
        return false;
      }
      for (int i = first; i <= last; i += step) {
        out.add(i, spec.flags());
      }
      if (spec.has(KeyFlag.INCOMPLETE)) {
        return false;
      }
    }
    return true;
  }

  /** The index just after the keyword, searched as Redis does; 0 when it is not there. */
  private static int afterKeyword(KeySpec.Keyword keyword, byte[][] args) {
    int argc = args.length;
    int start = keyword.startFrom() > 0 ? keyword.startFrom() : argc + keyword.startFrom();
    int end = keyword.startFrom() > 0 ? argc - 1 : 1;
    byte[] word = keyword.keyword().getBytes(StandardCharsets.US_ASCII);
    for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
      if (i >= argc || i < 1) {
        break;
      }
      if (equalsIgnoreCase(args[i], word)) {
        return i + 1;
      }
    }
    return 0;
  }

  private static boolean equalsIgnoreCase(byte[] arg, byte[] word) {
    if (arg.length != word.length) {
      return false;
    }
    for (int i = 0; i < arg.length; i++) {
      if (lower(arg[i]) != lower(word[i])) {
        return false;
      }
    }
    return true;
  }

  /** ASCII lower case, as strcasecmp in the C locale. */
  private static int lower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
  }
}
