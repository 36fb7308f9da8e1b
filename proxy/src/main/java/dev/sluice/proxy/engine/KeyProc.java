package dev.sluice.proxy.engine;

/**
 * A command's own way of finding its keys, Redis's getkeys_proc: asked when the command's key specs
 * cannot answer alone (flags that depend on the arguments, an incomplete or unknown spec, a count
 * that does not parse), and what makes COMMAND GETKEYS accept a command without key specs.
 */
@FunctionalInterface
public interface KeyProc {
  /** Adds the keys of {@code args} (the name first) to {@code out}, in Redis's order. */
  void find(byte[][] args, FoundKeys out);
}
