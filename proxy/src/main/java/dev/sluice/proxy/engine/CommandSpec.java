package dev.sluice.proxy.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the server knows about a command, and all it knows: arity in Redis's convention (positive is
 * exact, negative is a minimum, both counting the name), Redis 7's command flags, ACL categories,
 * tips and key specs, documentation for COMMAND DOCS, what Sluice does differently for it ({@link
 * CommandTrait}), whether its keys are loaded on a miss, what it does to a row mapping ({@link
 * MappedWrite}), and the handler. A container (CLIENT, CONFIG …) has subcommands instead of a
 * handler. Every decision about a command reads its spec; nothing else compares its name.
 *
 * <p>COMMAND's legacy first/last/step and the {@code movablekeys} flag are derived from the key
 * specs as Redis derives them (populateCommandLegacyRangeSpec).
 */
public final class CommandSpec {
  private final String name;
  private final String fullName;
  private final byte[] nameBytes;
  private final int arity;
  private final Set<CommandFlag> flags;
  private final List<KeySpec> keySpecs;
  private final KeyProc keyProc;
  private final boolean hasKeySpecs;
  private final boolean variableKeyFlags;
  private final int firstKey;
  private final int lastKey;
  private final int keyStep;
  private final List<String> tips;
  private final Set<CommandTrait> traits;
  private final LoadRule loadsKeys;
  private final MappedWrite mappedWrite;
  private final String group;
  private final Set<String> extraCategories;
  private final boolean familyCategory;
  private final String summary;
  private final String since;
  private final String complexity;
  private final CommandHandler handler;
  private final Map<String, CommandSpec> subcommands;
  private final boolean write;
  private final boolean denyOom;
  private final boolean noAuth;
  private final boolean remembersReadKeys;
  private final boolean fixedKeyPositions;

  /** Index in {@link CommandTable#byId()}, set once at registration; ACL permissions use it. */
  private int id = -1;

  /** Calls and latency of this command (GET /metrics); null when metrics are off. */
  private volatile io.micrometer.core.instrument.Timer timer;

  private CommandSpec(Builder b, CommandSpec parent) {
    this.name = b.name;
    this.fullName = parent == null ? b.name : parent.name + "|" + b.name;
    this.nameBytes = b.name.getBytes(StandardCharsets.US_ASCII);
    this.arity = b.arity;
    this.keySpecs = List.copyOf(b.keySpecs);
    this.keyProc = b.keyProc;
    this.hasKeySpecs = keySpecs.stream().anyMatch(k -> !k.has(KeyFlag.NOT_KEY));
    this.variableKeyFlags = keySpecs.stream().anyMatch(k -> k.has(KeyFlag.VARIABLE_FLAGS));
    int[] legacy = legacyRange(keySpecs);
    this.firstKey = legacy[0];
    this.lastKey = legacy[1];
    this.keyStep = legacy[2];
    Set<CommandFlag> allFlags = EnumSet.copyOf(b.flags);
    if (legacy[3] != 0) {
      allFlags.add(CommandFlag.MOVABLEKEYS);
    }
    this.flags = Collections.unmodifiableSet(allFlags);
    this.tips = List.copyOf(b.tips);
    this.traits = Collections.unmodifiableSet(b.traits);
    this.loadsKeys = b.loadsKeys;
    this.mappedWrite = b.mappedWrite;
    this.group = parent == null ? b.group : parent.group;
    this.extraCategories = Set.copyOf(b.categories);
    this.familyCategory = b.familyCategory;
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
    // Redis's call(): read-only commands but the read-only script runners (whose scripts' commands
    // count instead) and shard channels, which are keys only for cluster routing
    this.fixedKeyPositions = firstKey > 0 && !flags.contains(CommandFlag.MOVABLEKEYS);
    this.remembersReadKeys =
        flags.contains(CommandFlag.READONLY)
            && !flags.contains(CommandFlag.PUBSUB)
            && !traits.contains(CommandTrait.RUNS_SCRIPT);
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

  /** Whether first/last/step find exactly its keys (no movable keys): no key search needed. */
  public boolean fixedKeyPositions() {
    return fixedKeyPositions;
  }

  /** Whether a tracking client may cache the keys this command reads (CLIENT TRACKING). */
  public boolean remembersReadKeys() {
    return remembersReadKeys;
  }

  /**
   * Redis's populateCommandLegacyRangeSpec: {first, last, step, movable}. One index-and-range spec
   * is the range itself; otherwise the consecutive step-1 ranges merge, and any other spec makes
   * the keys movable. Last is absolute (negative counts from the end), as COMMAND INFO shows it.
   */
  private static int[] legacyRange(List<KeySpec> specs) {
    if (specs.isEmpty()) {
      return new int[] {0, 0, 0, 0};
    }
    if (specs.size() == 1 && specs.get(0).isIndexRange()) {
      KeySpec only = specs.get(0);
      int first = ((KeySpec.Index) only.begin()).index();
      KeySpec.Range range = (KeySpec.Range) only.find();
      int last = range.lastKey() >= 0 ? first + range.lastKey() : range.lastKey();
      return new int[] {first, last, range.keyStep(), only.has(KeyFlag.INCOMPLETE) ? 1 : 0};
    }
    int movable = 0;
    int first = Integer.MAX_VALUE;
    int last = 0;
    int previousLast = 0;
    for (KeySpec spec : specs) {
      if (!spec.isIndexRange()) {
        movable = 1;
        continue;
      }
      int index = ((KeySpec.Index) spec.begin()).index();
      KeySpec.Range range = (KeySpec.Range) spec.find();
      if (range.keyStep() != 1 || (previousLast != 0 && previousLast != index - 1)) {
        movable = 1;
        continue;
      }
      if (spec.has(KeyFlag.INCOMPLETE)) {
        movable = 1;
      }
      first = Math.min(first, index);
      int absoluteLast = range.lastKey() >= 0 ? range.lastKey() + index : range.lastKey();
      // compared unsigned, as Redis does, so a last counted from the end wins
      last = Integer.compareUnsigned(last, absoluteLast) >= 0 ? last : absoluteLast;
      previousLast = last;
    }
    if (first == Integer.MAX_VALUE) {
      return new int[] {0, 0, 0, 1};
    }
    return new int[] {first, last, 1, movable};
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

  /** Redis 7's key specs, in COMMAND INFO's order. */
  public List<KeySpec> keySpecs() {
    return keySpecs;
  }

  /** The command's own key procedure, or null. */
  public KeyProc keyProc() {
    return keyProc;
  }

  /** Whether a key spec finds real keys (not only {@code not_key} ones). */
  boolean hasKeySpecs() {
    return hasKeySpecs;
  }

  /** Whether the key flags depend on the arguments: the key procedure gives them. */
  boolean hasVariableKeyFlags() {
    return variableKeyFlags;
  }

  /** Redis's doesCommandHaveKeys: what COMMAND GETKEYS accepts. */
  public boolean hasKeys() {
    return keyProc != null || hasKeySpecs;
  }

  /**
   * The keys of this invocation ({@code args} starts with the command's name) and their flags, as
   * Redis's COMMAND GETKEYSANDFLAGS finds them.
   */
  public FoundKeys keys(byte[][] args) {
    return KeySearch.find(this, args);
  }

  /** COMMAND INFO's tips ("nondeterministic_output", "request_policy:all_shards" …). */
  public List<String> tips() {
    return tips;
  }

  public boolean has(CommandTrait trait) {
    return traits.contains(trait);
  }

  public boolean has(CommandFlag flag) {
    return flags.contains(flag);
  }

  /**
   * Whether a key of this invocation, when a mapping would load it and it is not in memory, is
   * loaded before the command runs (look-aside, kv write-back). {@code keptWhole}: the key is kept
   * whole in PostgreSQL ({@code store: kv}) rather than cached from a row or query. Most commands
   * load every key their key specs find; DEL evicts cached keys without loading them (but loads a
   * kv key, whose row it deletes and whose existence it answers), SET without NX, XX, GET or
   * KEEPTTL replaces the value whatever it was, XADD appends rows.
   */
  public boolean loadsKey(byte[][] args, boolean keptWhole) {
    return loadsKeys.loads(args, keptWhole);
  }

  /** Whether a key of an invocation is loaded on a miss: see {@link #loadsKey}. */
  @FunctionalInterface
  interface LoadRule {
    boolean loads(byte[][] args, boolean keptWhole);
  }

  /** What this command does to a key of a row write-back mapping. */
  public MappedWrite mappedWrite() {
    return mappedWrite;
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

  /**
   * ACL categories the way Redis assigns them: the family's category (a container has none of its
   * own; a command may declare others in its place), those a command declares besides, and those
   * its flags imply.
   */
  public List<String> aclCategories() {
    return AclCategories.of(
        familyCategory && !isContainer() ? group : null, extraCategories, flags);
  }

  /** Declares a command fluently; {@link CommandTable#register} builds it. */
  public static final class Builder {
    private final String name;
    private final int arity;
    private final CommandHandler handler;
    private final Set<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
    private final List<KeySpec> keySpecs = new ArrayList<>();
    private KeyProc keyProc;
    private final List<String> tips = new ArrayList<>();
    private final Set<CommandTrait> traits = EnumSet.noneOf(CommandTrait.class);
    private LoadRule loadsKeys = (args, keptWhole) -> true;
    private MappedWrite mappedWrite = MappedWrite.UNSUPPORTED;
    private String group = "generic";
    private final List<String> categories = new ArrayList<>();
    private boolean familyCategory = true;
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

    /** Redis 7's key specs of the command, in Redis's order (see {@link KeySpec#key}). */
    public Builder keys(KeySpec... specs) {
      this.keySpecs.addAll(List.of(specs));
      return this;
    }

    /** The command's own key procedure, where Redis has a getkeys_proc. */
    public Builder keyProc(KeyProc proc) {
      this.keyProc = proc;
      return this;
    }

    /** COMMAND INFO's tips, as Redis gives them. */
    public Builder tips(String... tips) {
      this.tips.addAll(List.of(tips));
      return this;
    }

    public Builder traits(CommandTrait... traits) {
      this.traits.addAll(List.of(traits));
      return this;
    }

    /** Its keys are never loaded on a miss (XADD appends rows to an append mapping). */
    public Builder loadsNoKeys() {
      this.loadsKeys = (args, keptWhole) -> false;
      return this;
    }

    /** It evicts cached keys without loading them; kv keys are loaded (DEL, UNLINK). */
    public Builder evictsCachedKeys() {
      this.loadsKeys = (args, keptWhole) -> keptWhole;
      return this;
    }

    /** Its keys are not loaded on a miss for invocations that {@code replaceWhole} accepts. */
    public Builder loadsKeysUnless(Predicate<byte[][]> replaceWhole) {
      this.loadsKeys = (args, keptWhole) -> !replaceWhole.test(args);
      return this;
    }

    public Builder mappedWrite(MappedWrite write) {
      this.mappedWrite = write;
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

    /**
     * ACL categories Redis gives the command in place of its family's (SORT: @set, @sortedset,
     *
     * @list, not @keyspace).
     */
    public Builder categoriesInsteadOfFamily(String... categories) {
      this.familyCategory = false;
      return categories(categories);
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

    public Builder sub(List<Builder> subcommands) {
      this.subcommands.addAll(subcommands);
      return this;
    }

    /** Gives each subcommand added so far {@code traits}. */
    public Builder subcommandTraits(CommandTrait... traits) {
      subcommands.forEach(sub -> sub.traits(traits));
      return this;
    }

    CommandSpec build() {
      return new CommandSpec(this, null);
    }
  }
}
