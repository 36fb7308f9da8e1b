package dev.sluice.proxy.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a command does with a key, as Redis 7's key specs say (COMMAND INFO, COMMAND
 * GETKEYSANDFLAGS): one of RO/RW/OW/RM for the key's value as a whole, then what it does to the
 * data (access, update, insert, delete), then facts about the spec itself. A set of them is an
 * {@code int}, one bit each, in Redis's reply order.
 */
public enum KeyFlag {
  /** Reads the value, does not modify it. */
  RO("RO"),
  /** Reads and modifies the value. */
  RW("RW"),
  /** Overwrites the value: what was there is lost, whatever it was. */
  OW("OW"),
  /** Removes the key. */
  RM("RM"),
  /** Returns, copies or uses the user data of the key. */
  ACCESS("access"),
  /** Updates data already in the value. */
  UPDATE("update"),
  /** Adds data to the value. */
  INSERT("insert"),
  /** Deletes data from the value. */
  DELETE("delete"),
  /** Not a key, though it sits where keys are looked for (a shard channel). */
  NOT_KEY("not_key"),
  /** The spec may not find every key: the command's own key procedure is asked. */
  INCOMPLETE("incomplete"),
  /** The flags depend on the arguments: the command's own key procedure says which. */
  VARIABLE_FLAGS("variable_flags");

  private static final KeyFlag[] VALUES = values();

  private final String wireName;

  KeyFlag(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public int bit() {
    return 1 << ordinal();
  }

  public boolean in(int flags) {
    return (flags & bit()) != 0;
  }

  /** The bits of space-separated wire names ("RW access update"), in any case. */
  public static int parse(String names) {
    int flags = 0;
    for (String name : names.trim().split("\\s+")) {
      if (name.isEmpty()) {
        continue;
      }
      KeyFlag found = null;
      for (KeyFlag flag : VALUES) {
        if (flag.wireName.equalsIgnoreCase(name)) {
          found = flag;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown key flag: " + name.toLowerCase(Locale.ROOT));
      }
      flags |= found.bit();
    }
    return flags;
  }

  /** The wire names of the set bits, in Redis's order. */
  public static List<String> names(int flags) {
    List<String> names = new ArrayList<>(4);
    for (KeyFlag flag : VALUES) {
      if (flag.in(flags)) {
        names.add(flag.wireName);
      }
    }
    return names;
  }
}
