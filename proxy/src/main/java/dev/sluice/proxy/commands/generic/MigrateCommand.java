package dev.sluice.proxy.commands.generic;

import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.KeyWatcher;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.lookaside.MappingRouter;
import dev.sluice.proxy.rdb.DumpPayload;
import dev.sluice.proxy.runtime.ServerContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
 * password] [KEYS key ...] (cluster.c: migrateCommand). Under the lock the keys are looked up and
 * serialised as RESTORE commands with DUMP's payload; the connection then suspends while {@link
 * MigrateLinks}' worker talks to the target; back under the lock on that worker, the keys the
 * target acknowledged are deleted unless COPY — notified, dirtying WATCHes and client-side caches,
 * and sent to replicas as one DEL, as Redis rewrites MIGRATE — and the client gets Redis's reply.
 *
 * <p>Two departures, both because the lock is not held while the target answers: a key written
 * meanwhile is kept (the target has the value serialised before) and the reply says so; and MIGRATE
 * inside MULTI/EXEC or a script, which cannot suspend, is refused. A key of a PostgreSQL mapping is
 * refused without COPY: deleting it here would leave its row behind, and it would come back.
 */
public final class MigrateCommand {
  private final ServerContext server;
  private MigrateLinks links;
  private MappingRouter router;

  public MigrateCommand(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("migrate", -6, this::migrate)
            .flags(WRITE)
            .keys(
                KeySpec.key(3, "RW access delete"),
                KeySpec.keyword("KEYS", -2, -1, 1, 0, "RW access delete incomplete"))
            .keyProc(KeyProcs.MIGRATE)
            .tips("nondeterministic_output")
            .categories("@dangerous")
            .doc(
                "Atomically transfers a key from one Redis instance to another.",
                "2.6.0",
                "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in"
                    + " the target instance. See the pages of these commands for time complexity."
                    + " Also an O(N) data transfer between the two instances is performed."));
  }

  private void migrate(CommandContext c) {
    // never MIGRATE itself: replicas get the DEL of what moved, once the target has answered
    c.effects().replicateAs();
    MigrateOptions options = MigrateOptions.parse(c);
    long timeout = c.longArg(5);
    long targetDb = c.longArg(4);
    if (timeout <= 0) {
      timeout = 1000;
    }
    Database db = c.db();
    List<Entry> found = new ArrayList<>(options.keyCount());
    for (int i = 0; i < options.keyCount(); i++) {
      Entry entry = db.read(c.arg(options.firstKey() + i));
      if (entry != null) {
        found.add(entry);
      }
    }
    if (found.isEmpty()) {
      c.reply().simple("NOKEY");
      return;
    }
    if (!options.copy() && db.index() == 0) {
      refuseMapped(found);
    }
    if (!c.canBlock()) {
      throw new RedisError(
          "ERR MIGRATE waits for another server and cannot run inside MULTI/EXEC or a script");
    }
    List<byte[]> keys = new ArrayList<>(found.size());
    List<byte[]> restores = new ArrayList<>(found.size());
    for (Entry entry : found) {
      long ttl = 0;
      if (entry.hasExpiry()) {
        ttl = db.expiry(entry) - c.now();
        if (ttl < 0) {
          continue;
        }
        ttl = Math.max(ttl, 1);
      }
      keys.add(entry.key());
      restores.add(restore(entry, ttl, options.replace()));
    }
    Moved moved = new Moved(c.engine(), db.index(), keys, options.copy());
    MigrateLinks.Transfer transfer =
        new MigrateLinks.Transfer(
            c.text(1),
            c.text(2),
            targetDb,
            timeout,
            options.username(),
            options.password(),
            restores);
    c.suspendUntil(
        links(c).submit(transfer, moved::finish),
        (reply, value, error) -> {
          if (error != null) {
            reply.error(Errors.of(error));
          } else if (value != null) {
            reply.error((String) value);
          } else {
            reply.simple("OK");
          }
        });
  }

  private synchronized MigrateLinks links(CommandContext c) {
    if (links == null) {
      Keyspace keyspace = c.keyspace();
      links = new MigrateLinks(keyspace::now);
    }
    return links;
  }

  private void refuseMapped(List<Entry> found) {
    List<MappingConfig> mappings = server.config().mappings();
    if (mappings.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (router == null) {
        router = new MappingRouter(mappings);
      }
    }
    for (Entry entry : found) {
      MappingConfig mapping = router.route(entry.key());
      if (mapping != null) {
        throw new RedisError(
            "ERR MIGRATE of key '"
                + new String(entry.key(), StandardCharsets.UTF_8)
                + "' refused: it belongs to mapping '"
                + mapping.name()
                + "', whose copy in PostgreSQL would stay behind; use COPY");
      }
    }
  }

  /** RESTORE key ttl payload [REPLACE] in RESP, as Redis writes it for the target. */
  private static byte[] restore(Entry entry, long ttl, boolean replace) {
    List<byte[]> args = new ArrayList<>(5);
    args.add(MigrateLinks.ascii("RESTORE"));
    args.add(entry.key());
    args.add(MigrateLinks.ascii(Long.toString(ttl)));
    args.add(DumpPayload.create(entry.value()));
    if (replace) {
      args.add(MigrateLinks.ascii("REPLACE"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MigrateLinks.writeCommand(out, args);
    return out.toByteArray();
  }

  /**
   * The keys on their way, WATCHed from their serialisation on: once the target answered, those it
   * acknowledged are deleted unless COPY, but not one that was written meanwhile.
   */
  private static final class Moved {
    private final Engine engine;
    private final int db;
    private final List<byte[]> keys;
    private final boolean copy;
    private final Watch[] watches;

    /** Under the lock. */
    Moved(Engine engine, int db, List<byte[]> keys, boolean copy) {
      this.engine = engine;
      this.db = db;
      this.keys = keys;
      this.copy = copy;
      this.watches = new Watch[keys.size()];
      if (!copy) {
        for (int i = 0; i < watches.length; i++) {
          watches[i] = new Watch();
          engine.keyspace().watchers().add(db, keys.get(i), watches[i]);
        }
      }
    }

    /** On the worker, the lock not held: the reply's error text, or null for +OK. */
    String finish(MigrateLinks.Outcome outcome) {
      if (copy) {
        return outcome.error();
      }
      Keyspace keyspace = engine.keyspace();
      keyspace.lock().lock();
      try {
        Database database = keyspace.db(db);
        List<byte[]> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          byte[] key = keys.get(i);
          keyspace.watchers().remove(db, key, watches[i]);
          if (!outcome.acknowledged()[i]) {
            continue;
          }
          if (watches[i].changed) {
            if (database.get(key) != null) {
              kept.add(new String(key, StandardCharsets.UTF_8));
            }
          } else if (database.delete(key)) {
            keyspace.notify(NotifyFlags.GENERIC, "del", key, db);
            deleted.add(key);
          }
        }
        if (!deleted.isEmpty()) {
          engine.stats().dirty.add(deleted.size());
          byte[][] del = new byte[deleted.size() + 1][];
          del[0] = "DEL".getBytes(StandardCharsets.US_ASCII);
          for (int i = 0; i < deleted.size(); i++) {
            del[i + 1] = deleted.get(i);
          }
          engine.effect(db, del);
        }
        if (outcome.error() == null && !kept.isEmpty()) {
          return "ERR MIGRATE kept "
              + String.join(", ", kept.stream().map(k -> "'" + k + "'").toList())
              + ": written while being transferred, so the target holds the value before that";
        }
        return outcome.error();
      } finally {
        keyspace.lock().unlock();
      }
    }
  }

  /** One key's WATCH while it is being transferred. */
  private static final class Watch implements KeyWatcher {
    boolean changed;

    @Override
    public void keyModified() {
      changed = true;
    }
  }
}
