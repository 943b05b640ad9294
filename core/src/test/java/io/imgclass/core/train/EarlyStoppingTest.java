package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  @Test
  void stopsAfterPatienceEpochsWithoutImprovementButNotBeforeMinEpochs() {
    EarlyStopping es = new EarlyStopping(true, 4, 2, 0.0);
    double[] acc = {0.5, 0.6, 0.6, 0.55, 0.58, 0.7};
    boolean[] stops = new boolean[acc.length];
    for (int e = 0; e < acc.length; e++) {
      es.record(e, acc[e]);
      stops[e] = es.shouldStop(e);
    }
    // epoch 2 and 3 bring no improvement; epoch 2 is before min_epochs=4, epoch 3 is the 4th epoch.
    assertThat(stops).containsExactly(false, false, false, true, true, false);
  }

  @Test
  void toleranceIsRelativeButBestCheckpointIsStrictlyHigher() {
    EarlyStopping es = new EarlyStopping(true, 1, 1, 0.1);
    assertThat(es.record(0, 0.50)).isTrue();
    assertThat(es.record(1, 0.54)).isTrue(); // a new best checkpoint ...
    assertThat(es.shouldStop(1)).isTrue(); // ... but (0.54-0.5)/0.5 = 0.08 < 0.1: no improvement
    assertThat(es.bestEpoch()).isEqualTo(1);
    assertThat(es.best()).isEqualTo(0.54);
  }

  @Test
  void disabledNeverStops() {
    EarlyStopping es = new EarlyStopping(false, 1, 1, 0);
    for (int e = 0; e < 5; e++) {
      es.record(e, 0.1);
      assertThat(es.shouldStop(e)).isFalse();
    }
  }
}
