package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.UserConfig;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The operator commands log in as a named user with --user and --password. */
class RemoteCommandsAuthTest {
  static TestServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            b ->
                b.users(
                    List.of(
                        new UserConfig(
                            "shop",
                            List.of(UserConfig.sha256Hex("shop-pw")),
                            false,
                            Role.APP,
                            true,
                            null,
                            "users[0]"))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private int remote(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--port";
    all[args.length + 1] = Integer.toString(server.port());
    return commandLine.execute(all);
  }

  @Test
  void pause_asAppUser_isRefusedWithNoperm() {
    int code = remote("pause", "--user", "shop", "--password", "shop-pw");
    assertEquals(1, code);
    assertTrue(
        err.toString()
            .contains("NOPERM User shop has no permissions to run the 'sluice|pause' command"),
        err.toString());
  }

  @Test
  void pause_wrongPassword_isWrongpass() {
    int code = remote("pause", "--user", "shop", "--password", "nope");
    assertEquals(1, code);
    assertTrue(err.toString().contains("WRONGPASS"), err.toString());
  }
}
