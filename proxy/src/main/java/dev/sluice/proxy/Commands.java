package dev.sluice.proxy;

import dev.sluice.proxy.commands.acl.AclCommands;
import dev.sluice.proxy.commands.bitmap.BitmapCommands;
import dev.sluice.proxy.commands.connection.ConnectionCommands;
import dev.sluice.proxy.commands.generic.KeyCommands;
import dev.sluice.proxy.commands.generic.MigrateCommand;
import dev.sluice.proxy.commands.geo.GeoCommands;
import dev.sluice.proxy.commands.hash.HashCommands;
import dev.sluice.proxy.commands.hyperloglog.HyperLogLogCommands;
import dev.sluice.proxy.commands.list.ListCommands;
import dev.sluice.proxy.commands.pubsub.PubSubCommands;
import dev.sluice.proxy.commands.replication.FailoverCommand;
import dev.sluice.proxy.commands.replication.ReplicationCommands;
import dev.sluice.proxy.commands.replication.WaitCommands;
import dev.sluice.proxy.commands.scripting.FunctionCommands;
import dev.sluice.proxy.commands.scripting.ScriptingCommands;
import dev.sluice.proxy.commands.server.ServerCommands;
import dev.sluice.proxy.commands.set.SetCommands;
import dev.sluice.proxy.commands.sluice.SluiceCommands;
import dev.sluice.proxy.commands.sort.SortCommands;
import dev.sluice.proxy.commands.sortedset.ZSetCommands;
import dev.sluice.proxy.commands.stream.StreamCommands;
import dev.sluice.proxy.commands.string.StringCommands;
import dev.sluice.proxy.commands.tx.TransactionCommands;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.runtime.ServerContext;

/**
 * Every command family, registered in one table. The families that reach server state beyond the
 * engine (users, scripts, CONFIG, clients, write-back) are given {@code server}; they keep it and
 * read it only when a command runs.
 */
public final class Commands {
  private Commands() {}

  public static void register(CommandTable table, ServerContext server) {
    new ConnectionCommands(server).register(table);
    new ServerCommands(server).register(table);
    new AclCommands(server).register(table);
    StringCommands.register(table);
    KeyCommands.register(table);
    new MigrateCommand(server).register(table);
    TransactionCommands.register(table);
    PubSubCommands.register(table);
    ListCommands.register(table);
    HyperLogLogCommands.register(table);
    BitmapCommands.register(table);
    HashCommands.register(table);
    SetCommands.register(table);
    ZSetCommands.register(table);
    GeoCommands.register(table);
    SortCommands.register(table);
    new ScriptingCommands(server).register(table);
    new FunctionCommands(server).register(table);
    new SluiceCommands(server).register(table);
    new StreamCommands(server).register(table);
    new ReplicationCommands(server).register(table);
    new FailoverCommand(server).register(table);
    new WaitCommands(server).register(table);
  }
}
