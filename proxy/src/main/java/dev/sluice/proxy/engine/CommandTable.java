package dev.sluice.proxy.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command by name. Lookup takes the name's raw bytes and folds ASCII case while probing, so
 * dispatching a command allocates nothing.
 */
public final class CommandTable {
  private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
  private CommandSpec[] slots = new CommandSpec[512];
  private final List<CommandSpec> byId = new ArrayList<>();

  public CommandTable register(CommandSpec.Builder builder) {
    CommandSpec spec = builder.build();
    if (byName.putIfAbsent(spec.name(), spec) != null) {
      throw new IllegalStateException("command registered twice: " + spec.name());
    }
    number(spec);
    spec.subcommands().values().forEach(this::number);
    if (byName.size() * 2 > slots.length) {
      slots = new CommandSpec[slots.length * 2];
      byName.values().forEach(this::place);
    } else {
      place(spec);
    }
    return this;
  }

  private void number(CommandSpec spec) {
    spec.id(byId.size());
    byId.add(spec);
  }

  /**
   * Every command and subcommand, each at the index of its {@link CommandSpec#id()}; a container is
   * there too (it runs on its own only when it has a handler, such as COMMAND).
   */
  public List<CommandSpec> byId() {
    return Collections.unmodifiableList(byId);
  }

  private void place(CommandSpec spec) {
    byte[] name = spec.nameBytes();
    int mask = slots.length - 1;
    int i = hash(name, name.length) & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = spec;
  }

  /** The command named by these bytes, in any case, or null. */
  public CommandSpec lookup(byte[] name) {
    int mask = slots.length - 1;
    for (int i = hash(name, name.length) & mask; slots[i] != null; i = (i + 1) & mask) {
      if (equalsIgnoreCase(slots[i].nameBytes(), name)) {
        return slots[i];
      }
    }
    return null;
  }

  /**
   * The command or subcommand that {@code args} (the name first) invokes, as Redis's lookupCommand
   * finds it: the subcommand named by the second argument when the command has subcommands and
   * there is one, else the command. Null when either is unknown. Arity is not checked.
   */
  public CommandSpec resolve(byte[][] args) {
    CommandSpec spec = args.length == 0 ? null : lookup(args[0]);
    if (spec == null || args.length == 1 || !spec.isContainer()) {
      return spec;
    }
    return spec.subcommands()
        .get(new String(args[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
  }

  public CommandSpec lookup(String name) {
    return byName.get(name.toLowerCase(Locale.ROOT));
  }

  public Collection<CommandSpec> all() {
    return Collections.unmodifiableCollection(byName.values());
  }

  private static int hash(byte[] name, int length) {
    int h = 0;
    for (int i = 0; i < length; i++) {
      h = 31 * h + lower(name[i]);
    }
    return h ^ (h >>> 16);
  }

  private static boolean equalsIgnoreCase(byte[] lowerName, byte[] name) {
    if (lowerName.length != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (lowerName[i] != lower(name[i])) {
        return false;
      }
    }
    return true;
  }

  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }
}
