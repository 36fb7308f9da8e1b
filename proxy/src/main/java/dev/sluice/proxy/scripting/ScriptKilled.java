package dev.sluice.proxy.scripting;

/** Thrown by the watchdog to end a killed script; an Error so that pcall cannot catch it. */
final class ScriptKilled extends Error {
  ScriptKilled() {
    super("killed", null, false, false);
  }
}
