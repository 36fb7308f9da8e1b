package dev.sluice.proxy.commands.sort;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;

/** SORT and SORT_RO as Redis 7.4 declares them. The handler is {@link SortCommand}. */
public final class SortCommands {
  private SortCommands() {}

  private static final String PATTERN_NOTES =
      "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from"
          + " the content of the key we sort";
  private static final String STORE_NOTES =
      "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear"
          + " anywhere in the argument array";
  private static final String COMPLEXITY =
      "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the"
          + " number of returned elements. When the elements are not sorted, complexity is O(N).";

  public static void register(CommandTable t) {
    t.register(
        command("sort", -2, c -> SortCommand.sort(c, false))
            .flags(WRITE, DENYOOM)
            .keys(
                KeySpec.key(1, "RO access"),
                KeySpec.unknown("RO access").notes(PATTERN_NOTES),
                KeySpec.unknown("OW update").notes(STORE_NOTES))
            .keyProc(KeyProcs.SORT)
            .categoriesInsteadOfFamily("@set", "@sortedset", "@list", "@dangerous")
            .doc(
                "Sorts the elements in a list, a set, or a sorted set, optionally storing the"
                    + " result.",
                "1.0.0",
                COMPLEXITY));
    t.register(
        command("sort_ro", -2, c -> SortCommand.sort(c, true))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"), KeySpec.unknown("RO access").notes(PATTERN_NOTES))
            .keyProc(KeyProcs.SORT_RO)
            .categoriesInsteadOfFamily("@set", "@sortedset", "@list", "@dangerous")
            .doc(
                "Returns the sorted elements of a list, a set, or a sorted set.",
                "7.0.0",
                COMPLEXITY));
  }
}
