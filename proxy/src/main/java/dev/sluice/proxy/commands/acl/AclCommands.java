package dev.sluice.proxy.commands.acl;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.config.UserConfig;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.acl.Acl;
import dev.sluice.proxy.acl.AclRules;
import dev.sluice.proxy.acl.AclUser;
import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.AclLog;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.runtime.ServerContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * ACL and its subcommands over Sluice's users (see {@link Acl}). ACL SETUSER takes the rules Sluice
 * can honour — on, off, passwords, and command rules that give exactly one of its roles — and
 * refuses every other rule with an error instead of ignoring it.
 */
public final class AclCommands {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Key and channel rules Sluice accepts because they grant what every Sluice user has. */
  private static final List<String> ALL_KEYS_RULES = List.of("~*", "allkeys", "&*", "allchannels");

  /** Redis rules Sluice knows and refuses, since it has no per-key or per-channel permissions. */
  private static final List<String> UNSUPPORTED_PREFIXES =
      List.of("~", "%", "&", "(", "resetkeys", "resetchannels", "clearselectors");

  private final ServerContext server;

  public AclCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        container("acl")
            .group("server")
            .doc("A container for Access List Control commands.", "6.0.0", "Depends")
            .sub(
                command("cat", -2, this::cat)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Lists the ACL categories, or the commands inside a category.",
                        "6.0.0",
                        "O(1)"))
            .sub(
                command("deluser", -3, this::deluser)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Deletes ACL users, and terminates their connections.", "6.0.0", "O(1)"))
            .sub(
                command("dryrun", -4, this::dryrun)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Simulates the execution of a command by a user, without executing the"
                            + " command.",
                        "7.0.0",
                        "O(1)."))
            .sub(
                command("genpass", -2, this::genpass)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Generates a pseudorandom, secure password that can be used to identify"
                            + " ACL users.",
                        "6.0.0",
                        "O(1)"))
            .sub(
                command("getuser", 3, this::getuser)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Lists the ACL rules of a user.", "6.0.0", "O(N)"))
            .sub(
                command("list", 2, this::list)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Dumps the effective rules in ACL file format.", "6.0.0", "O(N)"))
            .sub(
                command("setuser", -3, this::setuser)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Creates and modifies an ACL user and its rules.", "6.0.0", "O(N)"))
            .sub(
                command("users", 2, this::users)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Lists all ACL users.", "6.0.0", "O(N)"))
            .sub(
                command("whoami", 2, c -> c.reply().bulk(c.session().user()))
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Returns the authenticated username of the current connection.",
                        "6.0.0",
                        "O(1)"))
            .sub(
                command("log", -2, this::log)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Lists recent security events generated due to ACL rules.",
                        "6.0.0",
                        "O(N) with N being the number of entries shown."))
            .sub(
                command("load", 2, AclCommands::noAclFile)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Reloads the rules from the configured ACL file.",
                        "6.0.0",
                        "O(N). Where N is the number of configured users."))
            .sub(
                command("save", 2, AclCommands::noAclFile)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Saves the effective ACL rules in the configured ACL file.",
                        "6.0.0",
                        "O(N). Where N is the number of configured users."))
            .sub(Help.command("acl", "6.0.0")));
  }

  /** ACL LOG [count | RESET]: the newest entries first, ten unless {@code count} says. */
  private void log(CommandContext c) {
    if (c.argc() > 3) {
      throw Errors.subcommandSyntax(c.arg(1), "acl");
    }
    AclLog log = c.engine().aclLog();
    long count = 10;
    if (c.argc() == 3) {
      if (c.is(2, "reset")) {
        log.reset();
        c.reply().simple("OK");
        return;
      }
      count = Math.max(0, c.longArg(2));
    }
    long now = c.keyspace().clock().millis();
    List<AclLog.Entry> entries = log.newest(count);
    c.reply().array(entries.size());
    for (AclLog.Entry e : entries) {
      c.reply().map(10);
      c.reply().bulk("count");
      c.reply().integer(e.count());
      c.reply().bulk("reason");
      c.reply().bulk(e.reason().text());
      c.reply().bulk("context");
      c.reply().bulk(e.context());
      c.reply().bulk("object");
      c.reply().bulk(e.object());
      c.reply().bulk("username");
      c.reply().bulk(e.username());
      c.reply().bulk("age-seconds");
      c.reply().doubleValue((now - e.updatedMillis()) / 1000.0);
      c.reply().bulk("client-info");
      c.reply().bulk(e.clientInfo());
      c.reply().bulk("entry-id");
      c.reply().integer(e.id());
      c.reply().bulk("timestamp-created");
      c.reply().integer(e.createdMillis());
      c.reply().bulk("timestamp-last-updated");
      c.reply().integer(e.updatedMillis());
    }
  }

  private void cat(CommandContext c) {
    if (c.argc() > 3) {
      throw Errors.wrongArity("acl|cat");
    }
    if (c.argc() == 2) {
      c.reply().array(AclRules.CATEGORIES.size());
      AclRules.CATEGORIES.forEach(c.reply()::bulk);
      return;
    }
    String category = c.text(2).toLowerCase(Locale.ROOT);
    if (!AclRules.CATEGORIES.contains(category)) {
      throw new RedisError("ERR Unknown category '" + c.text(2) + "'");
    }
    List<String> names = new ArrayList<>();
    for (CommandSpec spec : c.engine().commands().byId()) {
      if (spec.aclCategories().contains("@" + category)) {
        names.add(spec.fullName());
      }
    }
    c.reply().array(names.size());
    names.forEach(c.reply()::bulk);
  }

  /** ACL DRYRUN user command [arg …]: OK, or why the user may not run it (not an error). */
  private void dryrun(CommandContext c) {
    AclUser user = server.acl().user(c.text(2));
    if (user == null) {
      throw new RedisError("ERR User '" + c.text(2) + "' not found");
    }
    CommandTable table = c.engine().commands();
    CommandSpec spec = table.lookup(c.text(3));
    int argc = c.argc() - 3;
    if (spec != null && spec.isContainer() && argc > 1) {
      spec = spec.subcommands().get(c.text(4).toLowerCase(Locale.ROOT));
    }
    if (spec == null) {
      throw new RedisError("ERR Command '" + c.text(3) + "' not found");
    }
    if (!spec.arityAccepts(argc)) {
      throw Errors.wrongArity(spec.fullName());
    }
    if (user.mayRun(spec)) {
      c.reply().simple("OK");
    } else {
      c.reply()
          .bulk(Errors.noPermission(user.name(), spec.fullName()).substring("NOPERM ".length()));
    }
  }

  private void genpass(CommandContext c) {
    if (c.argc() > 3) {
      throw Errors.wrongArity("acl|genpass");
    }
    long bits = 256;
    if (c.argc() == 3) {
      bits = c.longArg(2);
      if (bits <= 0 || bits > 4096) {
        throw new RedisError(
            "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
      }
    }
    byte[] random = new byte[(int) ((bits + 7) / 8)];
    RANDOM.nextBytes(random);
    String hex = HexFormat.of().formatHex(random);
    c.reply().bulk(hex.substring(0, (int) ((bits + 3) / 4)));
  }

  private void users(CommandContext c) {
    var all = server.acl().users();
    c.reply().array(all.size());
    all.forEach(u -> c.reply().bulk(u.name()));
  }

  private void list(CommandContext c) {
    var all = server.acl().users();
    c.reply().array(all.size());
    all.forEach(u -> c.reply().bulk("user " + u.name() + " " + Acl.describe(u)));
  }

  /** As Redis 7: flags, passwords, commands, keys, channels, selectors. */
  private void getuser(CommandContext c) {
    AclUser user = server.acl().user(c.text(2));
    if (user == null) {
      c.reply().nil();
      return;
    }
    AclUser.State s = user.state();
    var reply = c.reply();
    reply.map(6);
    reply.bulk("flags");
    reply.array(s.nopass() ? 2 : 1);
    reply.bulk(s.enabled() ? "on" : "off");
    if (s.nopass()) {
      reply.bulk("nopass");
    }
    reply.bulk("passwords");
    reply.array(s.passwordHashes().size());
    s.passwordHashes().forEach(h -> reply.bulk(HexFormat.of().formatHex(h)));
    reply.bulk("commands");
    reply.bulk(Acl.commandRules(s.role()));
    reply.bulk("keys");
    reply.bulk("~*");
    reply.bulk("channels");
    reply.bulk("&*");
    reply.bulk("selectors");
    reply.array(0);
  }

  private void deluser(CommandContext c) {
    Acl acl = server.acl();
    List<AclUser> deleted = new ArrayList<>();
    for (int i = 2; i < c.argc(); i++) {
      if (c.text(i).equals("default")) {
        throw new RedisError("ERR The 'default' user cannot be removed");
      }
    }
    for (int i = 2; i < c.argc(); i++) {
      AclUser user = acl.user(c.text(i));
      if (user != null && !deleted.contains(user)) {
        deleted.add(user);
        acl.remove(user.name());
      }
    }
    // as Redis: connections authenticated as a deleted user are closed
    for (Session s : server.clients().all()) {
      if (deleted.contains(s.aclUser())) {
        if (s == c.session()) {
          s.closeAfterReply(true);
        } else {
          s.connection().close();
        }
      }
    }
    c.reply().integer(deleted.size());
  }

  /** ACL SETUSER name rule…: all rules are checked before any takes effect, as in Redis. */
  private void setuser(CommandContext c) {
    Acl acl = server.acl();
    String name = c.text(2);
    if (!name.matches("[!-~]+")) {
      throw new RedisError("ERR Usernames can't contain spaces or null characters");
    }
    AclUser existing = acl.user(name);
    AclUser.State state =
        existing != null
            ? existing.state()
            : new AclUser.State(false, false, List.of(), null, acl.rules().noCommands(), null);
    boolean enabled = state.enabled();
    boolean nopass = state.nopass();
    List<byte[]> hashes = new ArrayList<>(state.passwordHashes());
    List<String> commandRules = new ArrayList<>();
    boolean reset = false;
    for (int i = 3; i < c.argc(); i++) {
      String rule = c.text(i);
      String lower = rule.toLowerCase(Locale.ROOT);
      if (lower.equals("on")) {
        enabled = true;
      } else if (lower.equals("off")) {
        enabled = false;
      } else if (lower.equals("nopass")) {
        nopass = true;
        hashes.clear();
      } else if (lower.equals("resetpass")) {
        nopass = false;
        hashes.clear();
      } else if (lower.equals("reset")) {
        enabled = false;
        nopass = false;
        hashes.clear();
        commandRules.clear();
        reset = true;
      } else if (rule.startsWith(">")) {
        addHash(hashes, UserConfig.sha256(rule.substring(1).getBytes(StandardCharsets.UTF_8)));
        nopass = false;
      } else if (rule.startsWith("#")) {
        addHash(hashes, parseHash(rule));
        nopass = false;
      } else if (rule.startsWith("<")) {
        removeHash(
            hashes, UserConfig.sha256(rule.substring(1).getBytes(StandardCharsets.UTF_8)), rule);
      } else if (rule.startsWith("!")) {
        removeHash(hashes, parseHash(rule), rule);
      } else if (ALL_KEYS_RULES.contains(lower)) {
        continue; // every Sluice user may touch every key and channel
      } else if (AclRules.isCommandRule(rule)) {
        commandRules.add(rule);
      } else if (UNSUPPORTED_PREFIXES.stream().anyMatch(lower::startsWith)) {
        throw modifierError(
            rule,
            "Sluice does not support per-key or per-channel rules; every user may use every key"
                + " and channel (~* &*)");
      } else {
        throw modifierError(rule, "Syntax error");
      }
    }
    Role role = state.role();
    boolean[] allowed = state.allowed();
    if (reset || !commandRules.isEmpty()) {
      List<String> base = reset ? List.of() : List.of(Acl.commandRules(state.role()).split(" "));
      try {
        role = acl.rules().roleOf(base, commandRules);
      } catch (AclRules.UnsupportedRule e) {
        throw e.toError("ACL SETUSER");
      }
      allowed = role == null ? acl.rules().noCommands() : acl.rules().userArray(role);
    }
    AclUser.State next =
        new AclUser.State(enabled, nopass, hashes, role, allowed, state.httpTokenHash());
    if (existing != null) {
      existing.state(next);
    } else {
      acl.put(new AclUser(name, next));
    }
    c.reply().simple("OK");
  }

  private byte[] parseHash(String rule) {
    String hex = rule.substring(1);
    if (!dev.sluice.config.UserConfig.isSha256Hex(hex)) {
      throw modifierError(
          rule,
          "The password hash must be exactly 64 characters and contain only lowercase hexadecimal"
              + " characters");
    }
    return HexFormat.of().parseHex(hex);
  }

  private void addHash(List<byte[]> hashes, byte[] hash) {
    if (hashes.stream().noneMatch(h -> java.util.Arrays.equals(h, hash))) {
      hashes.add(hash);
    }
  }

  private void removeHash(List<byte[]> hashes, byte[] hash, String rule) {
    if (!hashes.removeIf(h -> java.util.Arrays.equals(h, hash))) {
      throw modifierError(
          rule, "The password you are trying to remove from the user does not exist");
    }
  }

  private RedisError modifierError(String rule, String why) {
    return new RedisError("ERR Error in ACL SETUSER modifier '" + rule + "': " + why);
  }

  /**
   * ACL LOAD and SAVE: Sluice's users come from its configuration (users:), never from an ACL file,
   * so both answer as redis-server without aclfile does.
   */
  private static void noAclFile(CommandContext c) {
    throw new RedisError(
        "ERR This Redis instance is not configured to use an ACL file. You may want to specify"
            + " users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you"
            + " have a Redis configuration file set) in order to store users in the Redis"
            + " configuration.");
  }
}
