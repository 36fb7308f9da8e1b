package dev.sluice.proxy.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the server knows about a command: arity in Redis's convention (positive is exact, negative
 * is a minimum, both counting the name), flags, key positions, documentation for COMMAND DOCS, and
 * the handler. A container (CLIENT, CONFIG …) has subcommands instead of a handler.
 */
public final class CommandSpec {
  private final String name;
  private final String fullName;
  private final byte[] nameBytes;
  private final int arity;
  private final Set<CommandFlag> flags;
  private final int firstKey;
  private final int lastKey;
  private final int keyStep;
  private final String group;
  private final Set<String> extraCategories;
  private final String summary;
  private final String since;
  private final String complexity;
  private final CommandHandler handler;
  private final Map<String, CommandSpec> subcommands;
  private final boolean write;
  private final boolean denyOom;
  private final boolean noAuth;

  /** Index in {@link CommandTable#byId()}, set once at registration; ACL permissions use it. */
  private int id = -1;

  /** Calls and latency of this command (GET /metrics); null when metrics are off. */
  private volatile io.micrometer.core.instrument.Timer timer;

  private CommandSpec(Builder b, CommandSpec parent) {
    this.name = b.name;
    this.fullName = parent == null ? b.name : parent.name + "|" + b.name;
    this.nameBytes = b.name.getBytes(StandardCharsets.US_ASCII);
    this.arity = b.arity;
    this.flags = Collections.unmodifiableSet(b.flags);
    this.firstKey = b.firstKey;
    this.lastKey = b.lastKey;
    this.keyStep = b.keyStep;
    this.group = parent == null ? b.group : parent.group;
    this.extraCategories = Set.copyOf(b.categories);
    this.summary = b.summary;
    this.since = b.since;
    this.complexity = b.complexity;
    this.handler = b.handler;
    Map<String, CommandSpec> subs = new LinkedHashMap<>();
    for (Builder sub : b.subcommands) {
      subs.put(sub.name, new CommandSpec(sub, this));
    }
    this.subcommands = Collections.unmodifiableMap(subs);
    this.write = flags.contains(CommandFlag.WRITE);
    this.denyOom = flags.contains(CommandFlag.DENYOOM);
    this.noAuth = flags.contains(CommandFlag.NO_AUTH);
  }

  public static Builder command(String name, int arity, CommandHandler handler) {
    return new Builder(name, arity, handler);
  }

  /** A command whose first argument names a subcommand. */
  public static Builder container(String name) {
    return new Builder(name, -2, null);
  }

  /** A container that also runs on its own, without a subcommand (COMMAND). */
  public static Builder container(String name, CommandHandler withoutSubcommand) {
    return new Builder(name, -1, withoutSubcommand);
  }

  /** The timer the executor records this command's calls in, or null. */
  public io.micrometer.core.instrument.Timer timer() {
    return timer;
  }

  /** Set once at start by the metrics binding, so the executor never looks a meter up. */
  public void timer(io.micrometer.core.instrument.Timer timer) {
    this.timer = timer;
  }

  public String name() {
    return name;
  }

  /** A dense number of this command or subcommand, for per-user permission arrays. */
  public int id() {
    return id;
  }

  void id(int id) {
    if (this.id >= 0) {
      throw new IllegalStateException("command id set twice: " + fullName);
    }
    this.id = id;
  }

  /** "get", or "client|setname" for a subcommand, as in Redis's arity errors. */
  public String fullName() {
    return fullName;
  }

  byte[] nameBytes() {
    return nameBytes;
  }

  public int arity() {
    return arity;
  }

  public boolean arityAccepts(int argc) {
    return arity >= 0 ? argc == arity : argc >= -arity;
  }

  public Set<CommandFlag> flags() {
    return flags;
  }

  public boolean isWrite() {
    return write;
  }

  public boolean denyOom() {
    return denyOom;
  }

  public boolean noAuth() {
    return noAuth;
  }

  public int firstKey() {
    return firstKey;
  }

  public int lastKey() {
    return lastKey;
  }

  public int keyStep() {
    return keyStep;
  }

  public String group() {
    return group;
  }

  public String summary() {
    return summary;
  }

  public String since() {
    return since;
  }

  public String complexity() {
    return complexity;
  }

  public CommandHandler handler() {
    return handler;
  }

  public Map<String, CommandSpec> subcommands() {
    return subcommands;
  }

  public boolean isContainer() {
    return !subcommands.isEmpty();
  }

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
   * ACL categories the way Redis assigns them: the family's category (a container has none of its
   * own), those a command declares besides, and those its flags imply.
   */
  public List<String> aclCategories() {
    Set<String> categories = new HashSet<>(extraCategories);
    if (!isContainer()) {
      switch (group) {
        case "string" -> categories.add("@string");
        case "generic" -> categories.add("@keyspace");
        case "connection" -> categories.add("@connection");
        case "list" -> categories.add("@list");
        case "hyperloglog" -> categories.add("@hyperloglog");
        case "bitmap" -> categories.add("@bitmap");
        case "transactions" -> categories.add("@transaction");
        case "hash" -> categories.add("@hash");
        case "set" -> categories.add("@set");
        case "sorted_set" -> categories.add("@sortedset");
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

  /** Declares a command fluently; {@link CommandTable#register} builds it. */
  public static final class Builder {
    private final String name;
    private final int arity;
    private final CommandHandler handler;
    private final Set<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private String group = "generic";
    private final List<String> categories = new ArrayList<>();
    private String summary = "";
    private String since = "1.0.0";
    private String complexity = "O(1)";
    private final List<Builder> subcommands = new ArrayList<>();

    private Builder(String name, int arity, CommandHandler handler) {
      this.name = name.toLowerCase(Locale.ROOT);
      this.arity = arity;
      this.handler = handler;
    }

    public Builder flags(CommandFlag... flags) {
      this.flags.addAll(List.of(flags));
      return this;
    }

    /** Key positions: first, last (negative counts from the end) and step, as COMMAND reports. */
    public Builder keys(int first, int last, int step) {
      this.firstKey = first;
      this.lastKey = last;
      this.keyStep = step;
      return this;
    }

    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /** ACL categories Redis gives the command beyond its family's and its flags' ("@dangerous"). */
    public Builder categories(String... categories) {
      this.categories.addAll(List.of(categories));
      return this;
    }

    public Builder doc(String summary, String since, String complexity) {
      this.summary = summary;
      this.since = since;
      this.complexity = complexity;
      return this;
    }

    public Builder sub(Builder subcommand) {
      subcommands.add(subcommand);
      return this;
    }

    CommandSpec build() {
      return new CommandSpec(this, null);
    }
  }
}
