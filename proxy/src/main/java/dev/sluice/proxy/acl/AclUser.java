package dev.sluice.proxy.acl;

import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.Principal;
import java.util.List;

/**
 * One ACL user. Its {@link State} is replaced as a whole by ACL SETUSER and read without locking;
 * connections authenticated as the user hold this object, so a change applies to them at once, as
 * in Redis.
 */
public final class AclUser implements Principal {
  /**
   * What the user is now.
   *
   * @param passwordHashes SHA-256 digests (32 bytes each) of the accepted passwords
   * @param role the role its command rules give, or null for no commands at all
   * @param allowed by command id, whether it may run the command; null when it may run every one
   *     (role dba), so the check on the command path is a single null test for such users
   * @param httpTokenHash SHA-256 digest of its HTTP bearer token, or null
   */
  public record State(
      boolean enabled,
      boolean nopass,
      List<byte[]> passwordHashes,
      Role role,
      boolean[] allowed,
      byte[] httpTokenHash) {
    public State {
      passwordHashes = List.copyOf(passwordHashes);
    }

    State withRole(Role role, boolean[] allowed) {
      return new State(enabled, nopass, passwordHashes, role, allowed, httpTokenHash);
    }

    State withPasswords(boolean nopass, List<byte[]> hashes) {
      return new State(enabled, nopass, hashes, role, allowed, httpTokenHash);
    }

    State withEnabled(boolean enabled) {
      return new State(enabled, nopass, passwordHashes, role, allowed, httpTokenHash);
    }
  }

  private final String name;
  private volatile State state;

  public AclUser(String name, State state) {
    this.name = name;
    this.state = state;
  }

  public String name() {
    return name;
  }

  public State state() {
    return state;
  }

  public void state(State state) {
    this.state = state;
  }

  /** Whether the user may run {@code spec}; commands flagged no_auth are open to everyone. */
  public boolean mayRun(CommandSpec spec) {
    boolean[] allowed = state.allowed();
    return allowed == null || allowed[spec.id()] || spec.noAuth();
  }
}
