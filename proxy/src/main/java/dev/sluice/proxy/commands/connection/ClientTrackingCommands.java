package dev.sluice.proxy.commands.connection;

import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.tracking.TrackingState;
import dev.sluice.proxy.tracking.TrackingTable;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: a client's side of client-side caching, with
 * Redis's option parsing and error texts (networking.c's clientCommand); the table of tracked keys
 * is {@link TrackingTable}.
 */
final class ClientTrackingCommands {
  private ClientTrackingCommands() {}

  static List<CommandSpec.Builder> subcommands() {
    return List.of(
        command("tracking", -3, ClientTrackingCommands::tracking)
            .flags(NOSCRIPT, LOADING, STALE)
            .doc(
                "Controls server-assisted client-side caching for the connection.",
                "6.0.0",
                "O(1). Some options may introduce additional complexity."),
        command("caching", 3, ClientTrackingCommands::caching)
            .flags(NOSCRIPT, LOADING, STALE)
            .doc(
                "Instructs the server whether to track the keys in the next request.",
                "6.0.0",
                "O(1)"),
        command(
                "getredir",
                2,
                c -> {
                  TrackingState state = c.session().tracking();
                  c.reply().integer(state.on() ? state.redirect() : -1);
                })
            .flags(NOSCRIPT, LOADING, STALE)
            .doc(
                "Returns the client ID to which the connection's tracking notifications are"
                    + " redirected.",
                "6.0.0",
                "O(1)"),
        command("trackinginfo", 2, ClientTrackingCommands::trackingInfo)
            .flags(NOSCRIPT, LOADING, STALE)
            .doc(
                "Returns information about server-assisted client-side caching for the connection.",
                "6.2.0",
                "O(1)"));
  }

  /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]… [BCAST] [OPTIN] [OPTOUT] [NOLOOP] */
  private static void tracking(CommandContext c) {
    long redirect = 0;
    boolean bcast = false;
    boolean optin = false;
    boolean optout = false;
    boolean noloop = false;
    List<byte[]> prefixes = new ArrayList<>();
    TrackingTable table = c.engine().tracking();
    for (int i = 3; i < c.argc(); i++) {
      boolean more = i < c.argc() - 1;
      if (c.is(i, "redirect") && more) {
        i++;
        if (redirect != 0) {
          throw new RedisError("ERR A client can only redirect to a single other client");
        }
        redirect = c.longArg(i);
        // the client must exist now, though it may go away later
        if (!table.clientExists(redirect)) {
          throw new RedisError("ERR The client ID you want redirect to does not exist");
        }
      } else if (c.is(i, "bcast")) {
        bcast = true;
      } else if (c.is(i, "optin")) {
        optin = true;
      } else if (c.is(i, "optout")) {
        optout = true;
      } else if (c.is(i, "noloop")) {
        noloop = true;
      } else if (c.is(i, "prefix") && more) {
        prefixes.add(c.arg(++i));
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    TrackingState state = c.session().tracking();
    if (c.is(2, "on")) {
      if (!bcast && !prefixes.isEmpty()) {
        throw new RedisError("ERR PREFIX option requires BCAST mode to be enabled");
      }
      if (state.on() && state.bcast() != bcast) {
        throw new RedisError(
            "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and"
                + " then re-enabling it with a different mode.");
      }
      if (bcast && (optin || optout)) {
        throw new RedisError("ERR OPTIN and OPTOUT are not compatible with BCAST");
      }
      if (optin && optout) {
        throw new RedisError("ERR You can't specify both OPTIN mode and OPTOUT mode");
      }
      if ((optin && state.optout()) || (optout && state.optin())) {
        throw new RedisError(
            "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and"
                + " then re-enabling it with a different mode.");
      }
      String overlap = bcast ? table.prefixOverlap(c.session(), prefixes) : null;
      if (overlap != null) {
        throw new RedisError(overlap);
      }
      table.enable(c.session(), redirect, bcast, optin, optout, noloop, prefixes);
    } else if (c.is(2, "off")) {
      table.disable(c.session());
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    c.reply().simple("OK");
  }

  /** CLIENT CACHING YES|NO: whether the next command's reads are tracked (OPTIN/OPTOUT). */
  private static void caching(CommandContext c) {
    TrackingState state = c.session().tracking();
    if (!state.on()) {
      throw new RedisError(
          "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or"
              + " OPTOUT mode enabled");
    }
    boolean yes = c.is(2, "yes");
    if (!yes && !c.is(2, "no")) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (!state.cachingRequested(yes)) {
      throw new RedisError(
          yes
              ? "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
              : "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
    }
    c.reply().simple("OK");
  }

  /** CLIENT TRACKINGINFO: flags, redirect and prefixes, as Redis lists them. */
  private static void trackingInfo(CommandContext c) {
    TrackingState state = c.session().tracking();
    List<String> flags = new ArrayList<>();
    flags.add(state.on() ? "on" : "off");
    if (state.bcast()) {
      flags.add("bcast");
    }
    if (state.optin()) {
      flags.add("optin");
      if (state.caching()) {
        flags.add("caching-yes");
      }
    }
    if (state.optout()) {
      flags.add("optout");
      if (state.caching()) {
        flags.add("caching-no");
      }
    }
    if (state.noloop()) {
      flags.add("noloop");
    }
    if (state.brokenRedirect()) {
      flags.add("broken_redirect");
    }
    Reply reply = c.reply();
    reply.map(3);
    reply.bulk("flags");
    reply.set(flags.size());
    flags.forEach(reply::bulk);
    reply.bulk("redirect");
    reply.integer(state.on() ? state.redirect() : -1);
    reply.bulk("prefixes");
    List<byte[]> prefixes = state.prefixes();
    reply.array(prefixes.size());
    prefixes.forEach(reply::bulk);
  }
}
