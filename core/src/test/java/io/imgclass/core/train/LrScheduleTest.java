package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void epochSizeFollowsFitPy() {
    assertThat(LrSchedule.epochSize(1000, 1, 32)).isEqualTo(32); // ceil(1000/32)
    assertThat(LrSchedule.epochSize(1024, 1, 32)).isEqualTo(32);
    assertThat(LrSchedule.epochSize(1001, 2, 32)).isEqualTo(16); // floor(1001/2)=500 -> ceil(500/32)
  }

  @Test
  void multiFactorDropsAfterTheBoundaryNotAtIt() {
    LrSchedule s = LrSchedule.multiFactor(0.1f, 0.1f, List.of(2, 4), 10);
    assertThat(s.steps()).containsExactly(20, 40);
    assertThat(s.lr(1)).isEqualTo(0.1f);
    assertThat(s.lr(20)).isEqualTo(0.1f); // num_update > step, strictly
    assertThat(s.lr(21)).isCloseTo(0.01f, within(1e-9f));
    assertThat(s.lr(40)).isCloseTo(0.01f, within(1e-9f));
    assertThat(s.lr(41)).isCloseTo(0.001f, within(1e-10f));
  }

  @Test
  void noStepsMeansConstant() {
    LrSchedule s = LrSchedule.multiFactor(0.05f, 0.1f, List.of(), 10);
    assertThat(s.lr(1)).isEqualTo(0.05f);
    assertThat(s.lr(1_000_000)).isEqualTo(0.05f);
  }
}
