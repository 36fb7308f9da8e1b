package dev.sluice.proxy.command;

/** Builds the command table from every command family. */
public final class Commands {
  private Commands() {}

  public static CommandTable table() {
    CommandTable table = new CommandTable();
    ConnectionCommands.register(table);
    ServerCommands.register(table);
    AclCommands.register(table);
    StringCommands.register(table);
    KeyCommands.register(table);
    TransactionCommands.register(table);
    PubSubCommands.register(table);
    ListCommands.register(table);
    HyperLogLogCommands.register(table);
    BitmapCommands.register(table);
    HashCommands.register(table);
    SetCommands.register(table);
    ZSetCommands.register(table);
    ScriptingCommands.register(table);
    SluiceCommands.register(table);
    StreamCommands.register(table);
    return table;
  }
}
