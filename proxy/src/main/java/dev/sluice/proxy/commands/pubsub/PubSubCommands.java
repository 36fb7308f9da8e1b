package dev.sluice.proxy.commands.pubsub;

import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.PUBSUB;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.keyspace.BytesKey;
import dev.sluice.proxy.pubsub.PubSub;
import dev.sluice.proxy.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE, PSUBSCRIBE, their UN- forms, PUBLISH, PUBSUB, and the sharded forms SSUBSCRIBE,
 * SUNSUBSCRIBE and SPUBLISH. Without a cluster, shard channels are a namespace of their own on this
 * one node, as on a redis-server with cluster mode off.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  public static void register(CommandTable t) {
    t.register(
        command("subscribe", -2, c -> subscribe(c, "subscribe", PubSub::subscribe))
            .flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("pubsub")
            .doc("Listens for messages published to channels.", "2.0.0", "O(N)"));
    t.register(
        command("psubscribe", -2, c -> subscribe(c, "psubscribe", PubSub::psubscribe))
            .flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("pubsub")
            .doc(
                "Listens for messages published to channels that match one or more patterns.",
                "2.0.0",
                "O(N)"));
    t.register(
        command("unsubscribe", -1, c -> unsubscribe(c, false))
            .flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("pubsub")
            .doc("Stops listening to messages posted to channels.", "2.0.0", "O(N)"));
    t.register(
        command("punsubscribe", -1, c -> unsubscribe(c, true))
            .flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("pubsub")
            .doc(
                "Stops listening to messages published to channels that match one or more"
                    + " patterns.",
                "2.0.0",
                "O(N+M)"));
    t.register(
        command("ssubscribe", -2, PubSubCommands::ssubscribe)
            .flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .keys(KeySpec.range(1, -1, 1, "not_key"))
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("pubsub")
            .doc("Listens for messages published to shard channels.", "7.0.0", "O(N)"));
    t.register(
        command("sunsubscribe", -1, PubSubCommands::sunsubscribe)
            .flags(PUBSUB, NOSCRIPT, LOADING, STALE)
            .keys(KeySpec.range(1, -1, 1, "not_key"))
            .traits(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)
            .group("pubsub")
            .doc("Stops listening to messages posted to shard channels.", "7.0.0", "O(N)"));
    t.register(
        command("spublish", 3, PubSubCommands::spublish)
            .flags(PUBSUB, LOADING, STALE, FAST)
            .traits(CommandTrait.MAY_REPLICATE)
            .keys(KeySpec.key(1, "not_key"))
            .group("pubsub")
            .doc("Post a message to a shard channel", "7.0.0", "O(N)"));
    t.register(
        command("publish", 3, PubSubCommands::publish)
            .flags(PUBSUB, LOADING, STALE, FAST)
            .traits(CommandTrait.MAY_REPLICATE)
            .group("pubsub")
            .doc("Posts a message to a channel.", "2.0.0", "O(N+M)"));
    t.register(
        container("pubsub")
            .group("pubsub")
            .doc("A container for Pub/Sub commands.", "2.8.0", "Depends")
            .sub(
                command("channels", -2, PubSubCommands::channels)
                    .flags(PUBSUB, LOADING, STALE)
                    .doc("Returns the active channels.", "2.8.0", "O(N)"))
            .sub(
                command("numsub", -2, PubSubCommands::numsub)
                    .flags(PUBSUB, LOADING, STALE)
                    .doc("Returns a count of subscribers to channels.", "2.8.0", "O(N)"))
            .sub(
                command("numpat", 2, c -> c.reply().integer(c.engine().pubSub().patternCount()))
                    .flags(PUBSUB, LOADING, STALE)
                    .doc("Returns a count of unique pattern subscriptions.", "2.8.0", "O(1)"))
            .sub(
                command("shardchannels", -2, PubSubCommands::shardChannels)
                    .flags(PUBSUB, LOADING, STALE)
                    .doc("Returns the active shard channels.", "7.0.0", "O(N)"))
            .sub(
                command("shardnumsub", -2, PubSubCommands::shardNumsub)
                    .flags(PUBSUB, LOADING, STALE)
                    .doc("Returns the count of subscribers of shard channels.", "7.0.0", "O(N)"))
            .sub(Help.command("pubsub", "6.2.0")));
  }

  private static void subscribe(
      CommandContext c, String kind, TriConsumer<PubSub, Session, byte[]> action) {
    Reply reply = c.reply();
    for (int i = 1; i < c.argc(); i++) {
      action.accept(c.engine().pubSub(), c.session(), c.arg(i));
      reply.push(3);
      reply.bulk(kind);
      reply.bulk(c.arg(i));
      reply.integer(c.session().subscriptions().count());
    }
  }

  @FunctionalInterface
  private interface TriConsumer<A, B, C> {
    void accept(A a, B b, C c);
  }

  private static void unsubscribe(CommandContext c, boolean patterns) {
    PubSub pubSub = c.engine().pubSub();
    Session session = c.session();
    String kind = patterns ? "punsubscribe" : "unsubscribe";
    List<byte[]> targets = new ArrayList<>();
    if (c.argc() > 1) {
      for (int i = 1; i < c.argc(); i++) {
        targets.add(c.arg(i));
      }
    } else {
      for (BytesKey key :
          patterns ? session.subscriptions().patterns : session.subscriptions().channels) {
        targets.add(key.bytes());
      }
    }
    Reply reply = c.reply();
    if (targets.isEmpty()) {
      reply.push(3);
      reply.bulk(kind);
      reply.nil();
      reply.integer(session.subscriptions().count());
      return;
    }
    for (byte[] target : targets) {
      if (patterns) {
        pubSub.punsubscribe(session, target);
      } else {
        pubSub.unsubscribe(session, target);
      }
      reply.push(3);
      reply.bulk(kind);
      reply.bulk(target);
      reply.integer(session.subscriptions().count());
    }
  }

  private static void ssubscribe(CommandContext c) {
    if (!c.canBlock()) {
      // Redis refuses it to a client that expects one reply per command (in MULTI, unlike
      // SUBSCRIBE)
      throw new RedisError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    }
    Reply reply = c.reply();
    for (int i = 1; i < c.argc(); i++) {
      c.engine().pubSub().ssubscribe(c.session(), c.arg(i));
      reply.push(3);
      reply.bulk("ssubscribe");
      reply.bulk(c.arg(i));
      reply.integer(c.session().subscriptions().shardCount());
    }
  }

  private static void sunsubscribe(CommandContext c) {
    Session session = c.session();
    List<byte[]> targets = new ArrayList<>();
    if (c.argc() > 1) {
      for (int i = 1; i < c.argc(); i++) {
        targets.add(c.arg(i));
      }
    } else {
      session.subscriptions().shardChannels.forEach(key -> targets.add(key.bytes()));
    }
    Reply reply = c.reply();
    if (targets.isEmpty()) {
      reply.push(3);
      reply.bulk("sunsubscribe");
      reply.nil();
      reply.integer(session.subscriptions().shardCount());
      return;
    }
    for (byte[] target : targets) {
      c.engine().pubSub().sunsubscribe(session, target);
      reply.push(3);
      reply.bulk("sunsubscribe");
      reply.bulk(target);
      reply.integer(session.subscriptions().shardCount());
    }
  }

  /** Replicas publish it to their own subscribers, as Redis propagates PUBLISH. */
  private static void spublish(CommandContext c) {
    c.reply().integer(c.engine().pubSub().spublish(c.arg(1), c.arg(2)));
    c.effects().force();
  }

  private static void publish(CommandContext c) {
    c.reply().integer(c.engine().pubSub().publish(c.arg(1), c.arg(2)));
    c.effects().force();
  }

  private static void channels(CommandContext c) {
    if (c.argc() > 3) {
      throw Errors.subcommandSyntax(c.arg(1), "pubsub");
    }
    List<byte[]> channels = c.engine().pubSub().channels(c.argc() == 3 ? c.arg(2) : null);
    c.reply().array(channels.size());
    channels.forEach(c.reply()::bulk);
  }

  private static void numsub(CommandContext c) {
    counts(c, c.engine().pubSub()::subscriberCount);
  }

  private static void shardNumsub(CommandContext c) {
    counts(c, c.engine().pubSub()::shardSubscriberCount);
  }

  private static void counts(CommandContext c, java.util.function.ToIntFunction<byte[]> count) {
    Reply reply = c.reply();
    reply.array((c.argc() - 2) * 2); // a flat array in RESP3 too, as Redis sends it
    for (int i = 2; i < c.argc(); i++) {
      reply.bulk(c.arg(i));
      reply.integer(count.applyAsInt(c.arg(i)));
    }
  }

  private static void shardChannels(CommandContext c) {
    if (c.argc() > 3) {
      throw Errors.subcommandSyntax(c.arg(1), "pubsub");
    }
    List<byte[]> channels = c.engine().pubSub().shardChannels(c.argc() == 3 ? c.arg(2) : null);
    c.reply().array(channels.size());
    channels.forEach(c.reply()::bulk);
  }
}
