package dev.sluice.proxy.resp;

/** One command as a client sent it: the command name followed by its arguments, binary-safe. */
public record Request(byte[][] args) {
  public int argc() {
    return args.length;
  }
}
