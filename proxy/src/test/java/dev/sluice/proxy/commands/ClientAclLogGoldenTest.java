package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * CLIENT REPLY, CLIENT UNBLOCK, CLIENT NO-TOUCH and ACL LOG against redis-server's replies ({@code
 * golden/client-acllog.json}, replayed as {@link RecordedRepliesTest} says): their arguments and
 * errors, the replies CLIENT REPLY OFF and SKIP drop (errors, RESET, MULTI), and acllog-max-len's
 * CONFIG checks. What depends on other clients or on time is {@code ClientUnblockTest}'s, {@code
 * ClientNoTouchTest}'s and {@code AclLogTest}'s.
 */
class ClientAclLogGoldenTest extends RecordedRepliesTest {
  ClientAclLogGoldenTest() {
    super("client-acllog");
  }
}
