package dev.virtualqueue.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The draw is what its published rule says, recomputed here independently of the production code's helpers. */
class LotteryTest {
  private static final byte[] SEED = HexFormat.of()
      .parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  @Test
  void commitmentIsTheSha256OfTheSeed() throws Exception {
    assertThat(Lottery.commitment(SEED)).isEqualTo(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SEED)));
    // a published vector: SHA-256 of the bytes 0x00..0x1f
    assertThat(Lottery.commitment(SEED)).isEqualTo("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
  }

  @Test
  void orderIsByTheRankOfEachId() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(UUID.randomUUID());
    }
    List<UUID> drawn = Lottery.order(SEED, ids);
    List<String> ranks = new ArrayList<>();
    for (UUID id : drawn) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(SEED);
      d.update(id.toString().getBytes(StandardCharsets.US_ASCII));
      ranks.add(HexFormat.of().formatHex(d.digest()));
    }
    List<String> sorted = new ArrayList<>(ranks);
    Collections.sort(sorted);
    assertThat(ranks).isEqualTo(sorted);
    assertThat(drawn).containsExactlyInAnyOrderElementsOf(ids);
    Collections.shuffle(ids);
    assertThat(Lottery.order(SEED, ids)).as("the arrival order does not matter").isEqualTo(drawn);
  }

  @Test
  void anotherSeedGivesAnotherOrder() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(UUID.randomUUID());
    }
    byte[] other = SEED.clone();
    other[0] = 1;
    assertThat(Lottery.order(other, ids)).isNotEqualTo(Lottery.order(SEED, ids));
  }
}
