package dev.sluice.proxy.engine;

/**
 * What the server does differently for a command, beyond Redis's command flags: the decisions Redis
 * makes by comparing a command's procedure (processCommand's lists) and Sluice's own. The executor,
 * the connection and write-back read these from the spec; none of them names a command.
 */
public enum CommandTrait {
  /**
   * Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET).
   */
  NOT_QUEUED,
  /**
   * Not refused for memory over maxmemory while queueing inside MULTI, where everything else is
   * (EXEC, DISCARD, QUIT, RESET).
   */
  KEPT_ON_OOM_IN_MULTI,
  /** Allowed on a RESP2 connection with subscriptions ((P|S)(UN)SUBSCRIBE, PING, QUIT, RESET). */
  ALLOWED_WHILE_SUBSCRIBED,
  /** Runs the commands queued since MULTI: its keys are theirs (EXEC). */
  RUNS_QUEUED,
  /** Runs a Lua script, on the script engine's thread (EVAL, EVALSHA and their _RO forms). */
  RUNS_SCRIPT,
  /** Answered while a script is busy, without the keyspace lock (SCRIPT KILL). */
  KILLS_SCRIPT,
  /** Answered while a function is busy, without the keyspace lock (FUNCTION KILL). */
  KILLS_FUNCTION,
  /** Answered while a function is busy, without the keyspace lock (FUNCTION STATS). */
  REPORTS_WHILE_BUSY,
  /** A pipelined run of it on append mappings is journaled as one burst (XADD). */
  APPEND_BURST,
  /**
   * Not a write, but propagated to replicas (Redis's MAY_REPLICATE: EVAL, EVALSHA, PUBLISH,
   * SPUBLISH, PFCOUNT), so CLIENT PAUSE WRITE holds it as it holds writes.
   */
  MAY_REPLICATE,
  /**
   * Leaves CLIENT CACHING's YES or NO for the command after it, as Redis's resetClient does for
   * every CLIENT subcommand.
   */
  KEEPS_CACHING_ANSWER,
  /**
   * Updates the keys' access time even for a CLIENT NO-TOUCH client (TOUCH, as Redis's lookupKey).
   */
  TOUCHES_EVEN_NO_TOUCH
}
