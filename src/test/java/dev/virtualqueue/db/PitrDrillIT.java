package dev.virtualqueue.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scripts/pitr-drill.sh on a private cluster of its own: WAL archiving and a base backup, writes
 * before and after a target time, the primary lost, and a new cluster recovered to that time with
 * every earlier row and none of the later ones.
 */
class PitrDrillIT {

  @Test
  void recoversToThePointInTimeFromTheBaseBackupAndTheArchive() throws IOException {
    BackupScripts.Result r = BackupScripts.run(List.of("scripts/pitr-drill.sh", "--rows", "4000",
        "--port", String.valueOf(twoFreePorts())));
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("primary lost").containsPattern("archive holds [1-9][0-9]* WAL segments")
        .contains("all 4000 rows committed before it, none of the 500 after");
  }

  /** A port p with p + 1 free too (the primary and the recovered cluster). */
  private static int twoFreePorts() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket a = new ServerSocket(0)) {
        int p = a.getLocalPort();
        try (ServerSocket b = new ServerSocket(p + 1)) {
          return p;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no two adjacent free ports");
  }
}
