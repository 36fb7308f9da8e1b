package dev.sluice.proxy.scripting;

import java.util.Locale;

/**
 * The flags a function or an EVAL script's shebang declares (Redis's scripts_flags_def, in its
 * order).
 */
public enum ScriptFlag {
  NO_WRITES,
  ALLOW_OOM,
  ALLOW_STALE,
  NO_CLUSTER,
  ALLOW_CROSS_SLOT_KEYS;

  /** The flag as scripts write it: {@code no-writes}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The flag written exactly {@code text} (as EVAL's shebang takes it), or null. */
  static ScriptFlag exactly(String text) {
    for (ScriptFlag flag : values()) {
      if (flag.text().equals(text)) {
        return flag;
      }
    }
    return null;
  }

  /** The flag written {@code text} in any case (as redis.register_function takes it), or null. */
  static ScriptFlag named(String text) {
    for (ScriptFlag flag : values()) {
      if (flag.text().equalsIgnoreCase(text)) {
        return flag;
      }
    }
    return null;
  }
}
