package dev.sluice.proxy.commands.connection;

import static dev.sluice.proxy.engine.CommandFlag.ALLOW_BUSY;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.NO_AUTH;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.acl.AclUser;
import dev.sluice.proxy.engine.AclLog;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.ServerContext;
import java.nio.charset.StandardCharsets;

/** Commands about the connection itself: handshake, authentication, database selection. */
public final class ConnectionCommands {
  private final ServerContext server;

  public ConnectionCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("ping", -1, this::ping)
            .flags(FAST)
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .group("connection")
            .doc("Returns the server's liveliness response.", "1.0.0", "O(1)"));
    t.register(
        command("echo", 2, c -> c.reply().bulk(c.arg(1)))
            .flags(FAST, LOADING, STALE)
            .group("connection")
            .doc("Returns the given string.", "1.0.0", "O(1)"));
    t.register(
        command("quit", -1, this::quit)
            .flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH)
            .traits(
                CommandTrait.NOT_QUEUED,
                CommandTrait.KEPT_ON_OOM_IN_MULTI,
                CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("connection")
            .doc("Closes the connection.", "1.0.0", "O(1)"));
    t.register(
        command("reset", 1, this::reset)
            .flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
            .traits(
                CommandTrait.NOT_QUEUED,
                CommandTrait.KEPT_ON_OOM_IN_MULTI,
                CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("connection")
            .doc("Resets the connection.", "6.2.0", "O(1)"));
    t.register(
        command("select", 2, this::select)
            .flags(LOADING, STALE, FAST)
            .group("connection")
            .doc("Changes the selected database.", "1.0.0", "O(1)"));
    t.register(
        command("auth", -2, this::auth)
            .flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
            .group("connection")
            .doc("Authenticates the connection.", "1.0.0", "O(N)"));
    t.register(
        command("hello", -1, this::hello)
            .flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
            .group("connection")
            .doc("Handshakes with the Redis server.", "6.0.0", "O(1)"));
    new ClientCommand(server).register(t);
  }

  private void ping(CommandContext c) {
    if (c.argc() > 2) {
      throw Errors.wrongArity("ping");
    }
    if (c.session().protocol() == 2 && c.session().subscriptions().total() > 0) {
      // a subscribed RESP2 connection only reads arrays, so Redis answers in one
      c.reply().array(2);
      c.reply().bulk("pong");
      c.reply().bulk(c.argc() == 2 ? c.arg(1) : new byte[0]);
    } else if (c.argc() == 2) {
      c.reply().bulk(c.arg(1));
    } else {
      c.reply().simple("PONG");
    }
  }

  private void quit(CommandContext c) {
    c.session().closeAfterReply(true);
    c.reply().simple("OK");
  }

  private void reset(CommandContext c) {
    Session s = c.session();
    s.db(0);
    s.protocol(2);
    c.reply().useProtocol(2);
    s.name(null);
    s.noEvict(false);
    s.noTouch(false);
    s.resetReplies();
    s.aclUser(server.acl().defaultUser());
    s.authenticated(!server.acl().authRequired());
    if (s.transaction().inMulti()) {
      s.transaction().end();
    }
    s.transaction().unwatchAll(c.keyspace());
    c.engine().pubSub().removeAll(s);
    c.engine().monitors().remove(s);
    c.engine().tracking().disable(s);
    c.reply().simple("RESET");
  }

  private void select(CommandContext c) {
    long index = c.longArg(1);
    if (index < 0 || index >= c.keyspace().databaseCount()) {
      throw new RedisError(Errors.DB_OUT_OF_RANGE);
    }
    c.session().db((int) index);
    c.reply().simple("OK");
  }

  private void auth(CommandContext c) {
    if (c.argc() > 3) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (c.argc() == 2 && server.acl().defaultUser().state().nopass()) {
      throw new RedisError(
          "ERR AUTH <password> called without any password configured for the default user. Are"
              + " you sure your configuration is correct?");
    }
    byte[] user = c.argc() == 3 ? c.arg(1) : "default".getBytes(StandardCharsets.US_ASCII);
    authenticate(c, user, c.arg(c.argc() - 1));
    c.reply().simple("OK");
  }

  /**
   * Checks credentials against the users; a failure is counted (INFO acl_access_denied_auth) and
   * logged with the user name and client address, never the password.
   */
  private void authenticate(CommandContext c, byte[] user, byte[] password) {
    String name = new String(user, StandardCharsets.UTF_8);
    AclUser found = server.acl().authenticate(name, password);
    if (found == null) {
      c.engine().stats().aclDeniedAuth.increment();
      server.acl().loginFailed("user '" + name + "'", c.session().connection().remoteAddress());
      c.engine().aclLog().add(AclLog.Reason.AUTH, c, c.text(0), name);
      throw new RedisError(Errors.WRONGPASS);
    }
    c.session().authenticated(true);
    c.session().aclUser(found);
  }

  /** HELLO [protover [AUTH username password] [SETNAME clientname]]. */
  private void hello(CommandContext c) {
    int protocol = c.session().protocol();
    if (c.argc() >= 2) {
      long requested = c.longArg(1, "ERR Protocol version is not an integer or out of range");
      if (requested < 2 || requested > 3) {
        throw new RedisError("NOPROTO unsupported protocol version");
      }
      protocol = (int) requested;
    }
    byte[] user = null;
    byte[] password = null;
    String name = null;
    for (int i = 2; i < c.argc(); i++) {
      if (c.is(i, "auth") && i + 2 < c.argc()) {
        user = c.arg(++i);
        password = c.arg(++i);
      } else if (c.is(i, "setname") && i + 1 < c.argc()) {
        name = ClientCommand.validName(c.arg(++i), "Client names");
      } else {
        throw new RedisError("ERR Syntax error in HELLO option '" + c.text(i) + "'");
      }
    }
    if (user != null) {
      authenticate(c, user, password);
    } else if (!c.session().authenticated() && server.acl().authRequired()) {
      throw new RedisError(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the"
              + " HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client"
              + " and select the RESP protocol version at the same time");
    }
    if (name != null) {
      c.session().name(name.isEmpty() ? null : name);
    }
    c.session().protocol(protocol);
    Reply reply = c.reply();
    reply.useProtocol(protocol);
    reply.map(7);
    reply.bulk("server");
    reply.bulk("redis");
    reply.bulk("version");
    reply.bulk(Engine.REDIS_VERSION);
    reply.bulk("proto");
    reply.integer(protocol);
    reply.bulk("id");
    reply.integer(c.session().id());
    reply.bulk("mode");
    reply.bulk("standalone");
    reply.bulk("role");
    reply.bulk("master");
    reply.bulk("modules");
    reply.array(0);
  }
}
