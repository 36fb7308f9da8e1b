package dev.sluice.proxy.commands.connection;

import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.engine.ClientInfo;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.engine.Unblockable;
import dev.sluice.proxy.runtime.ServerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** CLIENT and its subcommands. */
final class ClientCommand {
  private final ServerContext server;

  public ClientCommand(ServerContext server) {
    this.server = server;
  }

  void register(CommandTable t) {
    t.register(
        container("client")
            .group("connection")
            .doc("A container for client connection commands.", "2.4.0", "Depends")
            .sub(
                command("id", 2, c -> c.reply().integer(c.session().id()))
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc("Returns the unique client ID of the connection.", "5.0.0", "O(1)"))
            .sub(
                command("setname", 3, this::setname)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc("Sets the connection name.", "2.6.9", "O(1)"))
            .sub(
                command("getname", 2, this::getname)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc("Returns the name of the connection.", "2.6.9", "O(1)"))
            .sub(
                command("setinfo", 4, this::setinfo)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc("Sets information specific to the client or connection.", "7.2.0", "O(1)"))
            .sub(
                command("list", -2, this::list)
                    .flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE)
                    .tips("nondeterministic_output")
                    .doc("Lists open connections.", "2.4.0", "O(N)"))
            .sub(
                command("info", 2, c -> c.reply().verbatim(ClientInfo.describe(c.session()) + "\n"))
                    .flags(NOSCRIPT, LOADING, STALE)
                    .tips("nondeterministic_output")
                    .doc("Returns information about the connection.", "6.2.0", "O(1)"))
            .sub(
                command("kill", -3, this::kill)
                    .flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Terminates open connections.", "2.4.0", "O(N)"))
            .sub(
                command("no-evict", 3, this::noEvict)
                    .flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Sets the client eviction mode of the connection.", "7.0.0", "O(1)"))
            .sub(
                command("pause", -3, this::pause)
                    .flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Suspends commands processing.", "2.9.50", "O(1)"))
            .sub(
                command("unpause", 2, this::unpause)
                    .flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Resumes processing of clients that were paused.",
                        "6.2.0",
                        "O(N) Where N is the number of paused clients"))
            .sub(
                command("reply", 3, this::reply)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc("Instructs the server whether to reply to commands.", "3.2.0", "O(1)"))
            .sub(
                command("unblock", -3, this::unblock)
                    .flags(CommandFlag.ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Unblocks a client blocked by a blocking command from a different"
                            + " connection.",
                        "5.0.0",
                        "O(log N) where N is the number of client connections"))
            .sub(
                command("no-touch", 3, this::noTouch)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Controls whether commands sent by the client affect the LRU/LFU of"
                            + " accessed keys.",
                        "7.2.0",
                        "O(1)"))
            .sub(ClientTrackingCommands.subcommands())
            .sub(Help.command("client"))
            .subcommandTraits(CommandTrait.KEEPS_CACHING_ANSWER));
  }

  /**
   * CLIENT REPLY ON|OFF|SKIP: OFF and SKIP themselves get no reply; the connection drops replies
   * once a command completes ({@link Session#commandDone}).
   */
  private void reply(CommandContext c) {
    if (c.is(2, "on")) {
      c.session().repliesOn();
      c.reply().simple("OK");
    } else if (c.is(2, "off")) {
      c.session().repliesOff();
    } else if (c.is(2, "skip")) {
      c.session().skipNextReply();
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
  }

  /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: :1 if the client waited in a blocking command. */
  private void unblock(CommandContext c) {
    if (c.argc() > 4) {
      throw Errors.subcommandSyntax(c.arg(1), "client");
    }
    String error = null;
    if (c.argc() == 4) {
      if (c.is(3, "error")) {
        error = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
      } else if (!c.is(3, "timeout")) {
        throw new RedisError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      }
    }
    Session target = server.clients().get(c.longArg(2));
    Unblockable waiter = target == null ? null : target.blockedIn();
    c.reply().integer(waiter != null && waiter.unblock(error) ? 1 : 0);
  }

  private void noTouch(CommandContext c) {
    if (c.is(2, "on")) {
      c.session().noTouch(true);
    } else if (c.is(2, "off")) {
      c.session().noTouch(false);
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    c.reply().simple("OK");
  }

  /** CLIENT PAUSE timeout [WRITE|ALL]: timeout in milliseconds, ALL by default. */
  private void pause(CommandContext c) {
    if (c.argc() > 4) {
      throw Errors.subcommandSyntax(c.arg(1), "client");
    }
    boolean all = true;
    if (c.argc() == 4) {
      if (c.is(3, "write")) {
        all = false;
      } else if (!c.is(3, "all")) {
        throw new RedisError("ERR CLIENT PAUSE mode must be WRITE or ALL");
      }
    }
    long timeout = Timeouts.millis(c, 2);
    c.engine().clientPause().pause(timeout == 0 ? 0 : c.now() + timeout, all);
    c.reply().simple("OK");
  }

  private void unpause(CommandContext c) {
    c.engine().clientPause().unpause();
    c.reply().simple("OK");
  }

  /**
   * Redis allows names of printable ASCII without spaces; anything else is refused with {@code
   * what} ("Client names", "lib-name") in the message.
   */
  static String validName(byte[] name, String what) {
    for (byte b : name) {
      if (b < '!' || b > '~') {
        throw new RedisError(
            "ERR " + what + " cannot contain spaces, newlines or special characters.");
      }
    }
    return new String(name, StandardCharsets.US_ASCII);
  }

  private void setname(CommandContext c) {
    String name = validName(c.arg(2), "Client names");
    c.session().name(name.isEmpty() ? null : name);
    c.reply().simple("OK");
  }

  private void getname(CommandContext c) {
    String name = c.session().name();
    if (name == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(name);
    }
  }

  private void setinfo(CommandContext c) {
    if (c.is(2, "lib-name")) {
      c.session().libName(validName(c.arg(3), "lib-name"));
    } else if (c.is(2, "lib-ver")) {
      c.session().libVersion(validName(c.arg(3), "lib-ver"));
    } else {
      throw new RedisError("ERR Unrecognized option '" + c.text(2) + "'");
    }
    c.reply().simple("OK");
  }

  /** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]. */
  private void list(CommandContext c) {
    Set<Long> ids = null;
    String type = null;
    for (int i = 2; i < c.argc(); i++) {
      if (c.is(i, "type") && i + 1 < c.argc()) {
        type = c.text(++i).toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
          throw new RedisError("ERR Unknown client type '" + c.text(i) + "'");
        }
      } else if (c.is(i, "id") && i + 1 < c.argc()) {
        ids = new HashSet<>();
        while (i + 1 < c.argc()) {
          long id = c.longArg(++i, "ERR Invalid client ID");
          if (id <= 0) {
            throw new RedisError("ERR Invalid client ID");
          }
          ids.add(id);
        }
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    StringBuilder out = new StringBuilder();
    String wanted = "replica".equals(type) ? "slave" : type;
    for (Session s : server.clients().all()) {
      if ((wanted == null || wanted.equals(s.clientType()))
          && (ids == null || ids.contains(s.id()))) {
        out.append(ClientInfo.describe(s)).append('\n');
      }
    }
    c.reply().verbatim(out.toString());
  }

  /**
   * CLIENT KILL addr:port, or CLIENT KILL with filters (ID, ADDR, LADDR, USER, SKIPME, MAXAGE)
   * which replies with the number of clients killed.
   */
  private void kill(CommandContext c) {
    if (c.argc() == 3) {
      String addr = c.text(2);
      for (Session s : server.clients().all()) {
        if (s.connection().remoteAddress().equals(addr)) {
          close(c, s);
          c.reply().simple("OK");
          return;
        }
      }
      throw new RedisError("ERR No such client");
    }
    if (c.argc() % 2 != 0) {
      throw new RedisError(Errors.SYNTAX);
    }
    Long id = null;
    String addr = null;
    String laddr = null;
    String user = null;
    long maxAge = -1;
    boolean skipMe = true;
    String type = null;
    for (int i = 2; i < c.argc(); i += 2) {
      if (c.is(i, "id")) {
        id = c.longArg(i + 1, "ERR client-id should be greater than 0");
        if (id <= 0) {
          throw new RedisError("ERR client-id should be greater than 0");
        }
      } else if (c.is(i, "addr")) {
        addr = c.text(i + 1);
      } else if (c.is(i, "laddr")) {
        laddr = c.text(i + 1);
      } else if (c.is(i, "user")) {
        user = c.text(i + 1);
      } else if (c.is(i, "maxage")) {
        maxAge = c.longArg(i + 1);
      } else if (c.is(i, "skipme")) {
        if (c.is(i + 1, "yes")) {
          skipMe = true;
        } else if (c.is(i + 1, "no")) {
          skipMe = false;
        } else {
          throw new RedisError(Errors.SYNTAX);
        }
      } else if (c.is(i, "type")) {
        type = c.text(i + 1).toLowerCase(java.util.Locale.ROOT);
        if (type.equals("replica")) {
          type = "slave";
        }
        if (!Set.of("normal", "master", "slave", "pubsub").contains(type)) {
          throw new RedisError("ERR Unknown client type '" + c.text(i + 1) + "'");
        }
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    long now = System.currentTimeMillis();
    List<Session> victims = new ArrayList<>();
    for (Session s : server.clients().all()) {
      if ((id != null && s.id() != id)
          || (addr != null && !s.connection().remoteAddress().equals(addr))
          || (laddr != null && !s.connection().localAddress().equals(laddr))
          || (user != null && !s.user().equals(user))
          || (maxAge >= 0 && (now - s.createdAtMillis()) / 1000 < maxAge)
          || (type != null && !type.equals(s.clientType()))
          || (skipMe && s == c.session())) {
        continue;
      }
      victims.add(s);
    }
    victims.forEach(s -> close(c, s));
    c.reply().integer(victims.size());
  }

  private void close(CommandContext c, Session victim) {
    if (victim == c.session()) {
      victim.closeAfterReply(true);
    } else {
      victim.connection().close();
    }
  }

  private void noEvict(CommandContext c) {
    if (c.is(2, "on")) {
      c.session().noEvict(true);
    } else if (c.is(2, "off")) {
      c.session().noEvict(false);
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    c.reply().simple("OK");
  }
}
