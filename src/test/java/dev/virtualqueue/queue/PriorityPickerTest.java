package dev.virtualqueue.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PriorityPickerTest {

  @Test
  void strictAlwaysServesTheFirstNonEmptyClass() {
    int[] w = {1, 1, 1};
    var pick = PriorityPicker.next(false, w, PriorityPicker.Cursor.START, i -> i >= 1);
    assertThat(pick.cls()).isEqualTo(1);
    assertThat(PriorityPicker.next(false, w, PriorityPicker.Cursor.START, i -> false)).isNull();
  }

  @Test
  void weightedTakesTurnsByWeightAndSkipsEmptyClasses() {
    int[] w = {2, 1};
    long[] left = {5, 5};
    List<Integer> order = drain(true, w, left);
    assertThat(order).startsWith(0, 0, 1, 0, 0, 1, 0, 1, 1, 1);
  }

  @Test
  void strictPositionCountsHigherClassesThenOwnRank() {
    long pos = PriorityPicker.position(false, new int[] {1, 1}, PriorityPicker.Cursor.START, new long[] {3, 4}, 1, 2);
    assertThat(pos).isEqualTo(6);
    assertThat(PriorityPicker.position(false, new int[] {1, 1}, PriorityPicker.Cursor.START, new long[] {3, 4}, 0, 0))
        .isEqualTo(1);
  }

  /** The position promised to every waiting ticket equals the call order that call-next produces. */
  @Test
  void positionMatchesSimulatedCallOrderForRandomLines() {
    Random rnd = new Random(42);
    for (int round = 0; round < 300; round++) {
      boolean weighted = rnd.nextBoolean();
      int classes = 1 + rnd.nextInt(4);
      int[] w = new int[classes];
      long[] waiting = new long[classes];
      for (int i = 0; i < classes; i++) {
        w[i] = 1 + rnd.nextInt(4);
        waiting[i] = rnd.nextInt(6);
      }
      PriorityPicker.Cursor cursor = new PriorityPicker.Cursor(rnd.nextInt(classes), rnd.nextInt(3));
      // simulate calls, recording when each (class, rank) is called
      long[] left = waiting.clone();
      long[] calledInClass = new long[classes];
      PriorityPicker.Cursor c = cursor;
      long call = 0;
      while (true) {
        var pick = PriorityPicker.next(weighted, w, c, i -> left[i] > 0);
        if (pick == null) {
          break;
        }
        call++;
        long rank = calledInClass[pick.cls()]++;
        left[pick.cls()]--;
        assertThat(PriorityPicker.position(weighted, w, cursor, waiting, pick.cls(), rank))
            .as("round %d class %d rank %d", round, pick.cls(), rank).isEqualTo(call);
        c = pick.next();
      }
    }
  }

  private static List<Integer> drain(boolean weighted, int[] w, long[] left) {
    List<Integer> order = new ArrayList<>();
    PriorityPicker.Cursor c = PriorityPicker.Cursor.START;
    while (true) {
      var pick = PriorityPicker.next(weighted, w, c, i -> left[i] > 0);
      if (pick == null) {
        return order;
      }
      order.add(pick.cls());
      left[pick.cls()]--;
      c = pick.next();
    }
  }
}
