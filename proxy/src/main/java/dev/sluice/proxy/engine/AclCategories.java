package dev.sluice.proxy.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Redis's ACL categories of a command, derived as Redis's setImplicitACLCategories derives the
 * implicit ones: the family's category, those the command declares, and those its flags imply.
 */
final class AclCategories {
  private AclCategories() {}

  /** Redis's ACL categories in the order COMMAND INFO lists them. */
  private static final List<String> ACL_ORDER =
      List.of(
          "@keyspace",
          "@read",
          "@write",
          "@set",
          "@sortedset",
          "@list",
          "@hash",
          "@string",
          "@bitmap",
          "@hyperloglog",
          "@geo",
          "@stream",
          "@pubsub",
          "@admin",
          "@fast",
          "@slow",
          "@blocking",
          "@dangerous",
          "@connection",
          "@transaction",
          "@scripting");

  /**
   * The categories of a command of {@code family} (null: none, as a container), declaring {@code
   * declared} besides, with {@code flags}, in COMMAND INFO's order.
   */
  static List<String> of(String family, Set<String> declared, Set<CommandFlag> flags) {
    Set<String> categories = new HashSet<>(declared);
    if (family != null) {
      switch (family) {
        case "string" -> categories.add("@string");
        case "generic" -> categories.add("@keyspace");
        case "connection" -> categories.add("@connection");
        case "list" -> categories.add("@list");
        case "hyperloglog" -> categories.add("@hyperloglog");
        case "bitmap" -> categories.add("@bitmap");
        case "transactions" -> categories.add("@transaction");
        case "hash" -> categories.add("@hash");
        case "set" -> categories.add("@set");
        case "sorted-set" -> categories.add("@sortedset");
        case "scripting" -> categories.add("@scripting");
        default -> {}
      }
    }
    if (flags.contains(CommandFlag.WRITE)) {
      categories.add("@write");
    }
    // as Redis's setImplicitACLCategories: a read-only script command is not @read
    if (flags.contains(CommandFlag.READONLY) && !categories.contains("@scripting")) {
      categories.add("@read");
    }
    if (flags.contains(CommandFlag.ADMIN)) {
      categories.add("@admin");
      categories.add("@dangerous");
    }
    if (flags.contains(CommandFlag.PUBSUB)) {
      categories.add("@pubsub");
    }
    categories.add(flags.contains(CommandFlag.FAST) ? "@fast" : "@slow");
    if (flags.contains(CommandFlag.BLOCKING)) {
      categories.add("@blocking");
    }
    return ACL_ORDER.stream().filter(categories::contains).toList();
  }
}
