package dev.virtualqueue.auth;

import dev.virtualqueue.config.AppConfig;

/** {@code bootstrap} subcommand. STUB: replaced by the real implementation. */
public final class BootstrapCommand {
  private BootstrapCommand() {
  }

  /** Runs the command; returns the process exit code. */
  public static int run(AppConfig config, String[] args) {
    System.err.println("bootstrap: not implemented yet");
    return 1;
  }
}
