package dev.sluice.proxy.acl;

import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.RedisError;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis's command rules ({@code +@read}, {@code -flushall}, {@code +client|id}, {@code allcommands}
 * …) evaluated over the command table, and Sluice's three roles written in them. Sluice keeps no
 * per-user rule list: a user has one of the roles (or no commands), so ACL SETUSER accepts a
 * sequence of command rules only when the commands it allows are exactly those of a role.
 */
public final class AclRules {
  /** Each role as Redis rules; ACL LIST and ACL GETUSER show these, ACL SETUSER accepts them. */
  public static final Map<Role, String> ROLE_RULES =
      new EnumMap<>(
          Map.of(
              Role.DBA,
              "+@all",
              Role.APP,
              "+@all -@admin -flushall -script|flush -function|flush +sluice|status",
              Role.READONLY,
              "-@all +@read +@connection +@transaction +@pubsub -publish +info +time -@admin"
                  + " +sluice|status +acl|whoami"));

  /** Redis's ACL categories, as ACL CAT lists them. */
  public static final List<String> CATEGORIES =
      List.of(
          "keyspace",
          "read",
          "write",
          "set",
          "sortedset",
          "list",
          "hash",
          "string",
          "bitmap",
          "hyperloglog",
          "geo",
          "stream",
          "pubsub",
          "admin",
          "fast",
          "slow",
          "blocking",
          "dangerous",
          "connection",
          "transaction",
          "scripting");

  private static final Set<String> CATEGORY_SET = Set.copyOf(CATEGORIES);

  private final CommandTable table;
  private final Map<Role, boolean[]> roles = new EnumMap<>(Role.class);
  private final boolean[] none;

  AclRules(CommandTable table) {
    this.table = table;
    this.none = new boolean[table.byId().size()];
    ROLE_RULES.forEach((role, rules) -> roles.put(role, evaluate(List.of(rules.split(" ")))));
  }

  /** Whether {@code rule} is a command rule (as opposed to a password, key or flag rule). */
  public static boolean isCommandRule(String rule) {
    return rule.startsWith("+")
        || rule.startsWith("-")
        || rule.equalsIgnoreCase("allcommands")
        || rule.equalsIgnoreCase("nocommands");
  }

  /** What a role may run by command id (every entry true for dba). */
  public boolean[] allowed(Role role) {
    return roles.get(role);
  }

  /** What a user with no commands carries: every entry false. */
  public boolean[] noCommands() {
    return none;
  }

  /** The array a user of this role carries: null for dba, which may run everything. */
  public boolean[] userArray(Role role) {
    return role == Role.DBA ? null : roles.get(role);
  }

  /**
   * The role whose commands are exactly those {@code base} followed by {@code added} allow,
   * starting from none; null for no commands at all.
   *
   * @throws UnsupportedRule when a rule names no command or category, or the result is no role
   */
  public Role roleOf(List<String> base, List<String> added) {
    List<String> rules = new java.util.ArrayList<>(base);
    rules.addAll(added);
    boolean[] allowed = evaluate(rules);
    for (Role role : Role.values()) {
      if (Arrays.equals(allowed, roles.get(role))) {
        return role;
      }
    }
    boolean any = false;
    for (boolean a : allowed) {
      any |= a;
    }
    if (!any) {
      return null;
    }
    throw new UnsupportedRule(
        String.join(" ", added),
        "the commands these rules allow are not those of a Sluice role; it supports the command"
            + " rules of its roles only: "
            + "readonly '"
            + ROLE_RULES.get(Role.READONLY)
            + "', app '"
            + ROLE_RULES.get(Role.APP)
            + "', dba '+@all' (or no commands)");
  }

  private boolean[] evaluate(List<String> rules) {
    List<CommandSpec> specs = table.byId();
    boolean[] allowed = new boolean[specs.size()];
    for (String rule : rules) {
      if (rule.equalsIgnoreCase("allcommands")) {
        Arrays.fill(allowed, true);
        continue;
      }
      if (rule.equalsIgnoreCase("nocommands")) {
        Arrays.fill(allowed, false);
        continue;
      }
      boolean grant = rule.charAt(0) == '+';
      String target = rule.substring(1).toLowerCase(java.util.Locale.ROOT);
      if (target.equals("@all")) {
        Arrays.fill(allowed, grant);
      } else if (target.startsWith("@")) {
        if (!CATEGORY_SET.contains(target.substring(1))) {
          throw new UnsupportedRule(rule, "Unknown command or category name in ACL");
        }
        for (CommandSpec spec : specs) {
          if (spec.aclCategories().contains(target)) {
            allowed[spec.id()] = grant;
          }
        }
      } else {
        CommandSpec spec = command(target);
        if (spec == null) {
          throw new UnsupportedRule(rule, "Unknown command or category name in ACL");
        }
        allowed[spec.id()] = grant;
        spec.subcommands().values().forEach(sub -> allowed[sub.id()] = grant);
      }
    }
    return allowed;
  }

  private CommandSpec command(String target) {
    int bar = target.indexOf('|');
    if (bar < 0) {
      return table.lookup(target);
    }
    CommandSpec container = table.lookup(target.substring(0, bar));
    return container == null ? null : container.subcommands().get(target.substring(bar + 1));
  }

  /** A rule ACL SETUSER refuses, with the reason Redis's message format takes. */
  public static final class UnsupportedRule extends RuntimeException {
    final String rule;

    UnsupportedRule(String rule, String reason) {
      super(reason);
      this.rule = rule;
    }

    public RedisError toError(String command) {
      return new RedisError(
          "ERR Error in " + command + " modifier '" + rule + "': " + getMessage());
    }
  }
}
