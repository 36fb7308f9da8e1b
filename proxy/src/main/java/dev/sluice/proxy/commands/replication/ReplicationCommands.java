package dev.sluice.proxy.commands.replication;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.ALLOW_BUSY;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.NO_ASYNC_LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NO_MULTI;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.replication.MasterLink;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.PlannedFailover;
import dev.sluice.proxy.runtime.Replication;
import dev.sluice.proxy.runtime.ServerContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The primary's side of replication (replication.c): SYNC and PSYNC, which turn a connection into a
 * replica fed the stream of {@link Primary}; REPLCONF, with which a replica describes itself and
 * acknowledges what it applied; ROLE.
 */
public final class ReplicationCommands {
  private final ServerContext server;

  public ReplicationCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("psync", -3, c -> sync(c, true))
            .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI)
            .group("server")
            .doc("An internal command used in replication.", "2.8.0", null));
    t.register(
        command("sync", 1, c -> sync(c, false))
            .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI)
            .group("server")
            .doc("An internal command used in replication.", "1.0.0", null));
    t.register(
        command("sluice.journal", -4, this::journal)
            .flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .group("server")
            .doc(
                "An internal command of Sluice's replication stream: write-back journal records"
                    + " with the primary's LSNs.",
                "7.4.0",
                "O(N) where N is the number of records"));
    t.register(
        command("replconf", -1, this::replconf)
            .flags(ADMIN, NOSCRIPT, LOADING, STALE, ALLOW_BUSY)
            .group("server")
            .doc("An internal command for configuring the replication stream.", "3.0.0", "O(1)"));
    // SLAVEOF is REPLICAOF's old name, deprecated since 5.0.0
    for (String[] nameSince : new String[][] {{"replicaof", "5.0.0"}, {"slaveof", "1.0.0"}}) {
      t.register(
          command(nameSince[0], 3, this::replicaOf)
              .flags(ADMIN, NOSCRIPT, STALE, NO_ASYNC_LOADING)
              .group("server")
              .doc(
                  "Make the server a replica of another instance, or promote it as master.",
                  nameSince[1],
                  "O(1)"));
    }
    t.register(
        command("role", 1, this::role)
            .flags(NOSCRIPT, LOADING, STALE, FAST)
            .categories("@admin", "@dangerous")
            .group("server")
            .doc("Returns the replication role.", "2.8.12", "O(1)"));
  }

  /**
   * SYNC, or PSYNC replid offset: +CONTINUE and the missing bytes when the backlog holds them, else
   * (+FULLRESYNC replid offset for PSYNC) an RDB file of the data now, then the stream.
   */
  private void sync(CommandContext c, boolean psync) {
    Primary primary = server.primary();
    Session session = c.session();
    if (primary.replica(session) != null) {
      return; // already a replica: Redis ignores it
    }
    Replication replication = server.replication();
    if (psync && c.argc() > 3 && c.is(3, "failover")) {
      // FAILOVER's last step: our primary asks us to take over the history we share
      if (replication.link() == null) {
        throw new RedisError("ERR PSYNC FAILOVER can't be sent to a master.");
      }
      if (!primary.replid().equalsIgnoreCase(c.text(1))) {
        throw new RedisError("ERR PSYNC FAILOVER replid must match my replid.");
      }
      replication.becomePrimary();
    }
    if (server.failover().state() != PlannedFailover.State.NONE) {
      throw new RedisError("NOMASTERLINK Can't SYNC while failing over");
    }
    MasterLink link = replication.link();
    if (link != null && link.state() != MasterLink.State.CONNECTED) {
      throw new RedisError("NOMASTERLINK Can't SYNC while not connected with my master");
    }
    long now = server.keyspace().clock().millis();
    if (psync) {
      String id = c.text(1);
      long offset = c.longArg(2);
      byte[] missing = primary.continuation(session, id, offset);
      if (missing != null) {
        c.reply().simple("CONTINUE " + primary.replid());
        primary.attach(session, now);
        session.connection().pushBytes(missing);
        return;
      }
      if (!primary.active()) {
        primary.attach(session, now); // creates the backlog at offset 0
      }
      c.reply().simple("FULLRESYNC " + primary.replid() + " " + primary.offset());
    }
    server.replication().journal().beforeFullSync();
    byte[] rdb = server.persistence().rdbForReplica();
    byte[] head = ("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] payload = new byte[head.length + rdb.length];
    System.arraycopy(head, 0, payload, 0, head.length);
    System.arraycopy(rdb, 0, payload, head.length, rdb.length);
    session.connection().pushBytes(payload);
    primary.fullSyncSent();
    primary.attach(session, now);
    primary.forgetSelectedDb(); // the stream after the file starts with SELECT
    server.replication().journal().afterFullSync();
  }

  /**
   * SLUICE.JOURNAL RECORDS lineage first-lsn type payload [type payload …], SLUICE.JOURNAL SYNC
   * lineage from-lsn, or SLUICE.JOURNAL APPLIED lineage lsn: write-back's records in the stream of
   * a Sluice primary (see {@code ReplicationJournal}); only the primary's link may send them.
   */
  private void journal(CommandContext c) {
    if (!c.session().primaryLink()) {
      throw new RedisError(
          "ERR SLUICE.JOURNAL is sent by a Sluice primary in its replication stream only");
    }
    String lineage = c.text(2);
    long lsn = c.longArg(3);
    if (c.is(1, "sync") && c.argc() == 4) {
      server.replication().journalSync(lineage, lsn);
    } else if (c.is(1, "applied") && c.argc() == 4) {
      server.replication().journalApplied(lineage, lsn);
    } else if (c.is(1, "records") && c.argc() >= 6 && c.argc() % 2 == 0) {
      int n = (c.argc() - 4) / 2;
      byte[] types = new byte[n];
      byte[][] payloads = new byte[n][];
      for (int i = 0; i < n; i++) {
        byte[] type = c.arg(4 + 2 * i);
        if (type.length != 1) {
          throw new RedisError(
              "ERR SLUICE.JOURNAL RECORDS: a record type is one byte, got " + type.length);
        }
        types[i] = type[0];
        payloads[i] = c.arg(5 + 2 * i);
      }
      server.replication().journalRecords(lsn, types, payloads);
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    c.reply().simple("OK");
  }

  /** REPLCONF option value …: listening-port, ip-address, capa, ack, getack. */
  private void replconf(CommandContext c) {
    if (c.argc() % 2 == 0) {
      throw new RedisError(Errors.SYNTAX);
    }
    Primary primary = server.primary();
    for (int i = 1; i < c.argc(); i += 2) {
      if (c.is(i, "listening-port")) {
        primary.announcedPort(c.session(), (int) c.longArg(i + 1));
      } else if (c.is(i, "ip-address")) {
        if (c.arg(i + 1).length > 46) {
          throw new RedisError(
              "ERR REPLCONF ip-address provided by replica instance is too long: "
                  + c.arg(i + 1).length
                  + " bytes");
        }
      } else if (c.is(i, "capa")) {
        primary.announcedCapability(c.session(), c.text(i + 1));
      } else if (c.is(i, "ack")) {
        acknowledged(c, i);
        return; // no reply to an ACK
      } else if (c.is(i, "getack")) {
        if (c.session().primaryLink()) {
          server.replication().acknowledge(c.session());
        }
        return; // no reply: the acknowledgement is the answer, and only a primary asks
      } else {
        throw new RedisError("ERR Unrecognized REPLCONF option: " + c.text(i));
      }
    }
    c.reply().simple("OK");
  }

  /**
   * REPLICAOF host port, or NO ONE (Redis's replicaofCommand): +OK at once, the link is made in the
   * background.
   */
  private void replicaOf(CommandContext c) {
    if (server.failover().state() != PlannedFailover.State.NONE) {
      throw new RedisError("ERR REPLICAOF not allowed while failing over.");
    }
    Replication replication = server.replication();
    if (c.is(1, "no") && c.is(2, "one")) {
      replication.becomePrimary();
      c.reply().simple("OK");
      return;
    }
    if (server.primary().replica(c.session()) != null) {
      throw new RedisError("ERR Command is not valid when client is a replica.");
    }
    long port = c.longArg(2, "ERR Invalid master port");
    if (port < 0 || port > 65535) {
      throw new RedisError("ERR Invalid master port");
    }
    if (!replication.replicaOf(c.text(1), (int) port)) {
      c.reply().simple("OK Already connected to specified master");
      return;
    }
    c.reply().simple("OK");
  }

  /**
   * REPLCONF ACK offset [FACK aofoffset]: what a replica applied (and its append-only file holds);
   * ignored, as Redis ignores it, from a client that is not a replica or with offsets that are not
   * integers.
   */
  private void acknowledged(CommandContext c, int i) {
    long offset;
    long aofOffset = -1;
    try {
      offset = Numbers.parseLong(c.arg(i + 1), Errors.NOT_INTEGER);
      if (c.argc() > i + 3 && c.is(i + 2, "fack")) {
        aofOffset = Numbers.parseLong(c.arg(i + 3), Errors.NOT_INTEGER);
      }
    } catch (RedisError notAnOffset) {
      return;
    }
    server
        .primary()
        .acknowledged(c.session(), offset, aofOffset, server.keyspace().clock().millis());
  }

  /**
   * ROLE: as a primary, the offset and each replica's address, port and acknowledged offset; as a
   * replica, its primary's address and port, the link's state and the offset applied.
   */
  private void role(CommandContext c) {
    MasterLink link = server.replication().link();
    if (link != null) {
      Reply reply = c.reply();
      reply.array(5);
      reply.bulk("slave");
      reply.bulk(link.host());
      reply.integer(link.port());
      reply.bulk(link.state().roleName());
      // Redis shows the primary client's offset, which exists only while the stream runs
      reply.integer(link.state() == MasterLink.State.CONNECTED ? link.offset() : -1);
      return;
    }
    Primary primary = server.primary();
    List<Primary.Replica> replicas = primary.replicas();
    Reply reply = c.reply();
    reply.array(3);
    reply.bulk("master");
    reply.integer(primary.offset());
    reply.array(replicas.size());
    for (Primary.Replica replica : replicas) {
      reply.array(3);
      reply.bulk(replica.host());
      reply.bulk(Integer.toString(replica.listeningPort()));
      reply.bulk(Long.toString(replica.ackOffset()));
    }
  }
}
