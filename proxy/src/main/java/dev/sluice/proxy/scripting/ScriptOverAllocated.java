package dev.sluice.proxy.scripting;

/** Thrown by the watchdog when a script allocated more than its limit; pcall cannot catch it. */
final class ScriptOverAllocated extends Error {
  ScriptOverAllocated() {
    super("allocation limit", null, false, false);
  }
}
