package dev.sluice.proxy.engine;

/**
 * Who a connection acts as, as dispatch sees it: a name for errors and CLIENT LIST, and the
 * permission check made before every command (implemented by {@code acl.AclUser}).
 */
public interface Principal {
  String name();

  /** Whether this user may run {@code spec}. */
  boolean mayRun(CommandSpec spec);
}
