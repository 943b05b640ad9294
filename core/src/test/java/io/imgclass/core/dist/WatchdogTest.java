package io.imgclass.core.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  @Test
  void haltsWithAReasonWhenNothingHappensForTooLong() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CountDownLatch halted = new CountDownLatch(1);
    long t0 = System.nanoTime();
    Watchdog w = Watchdog.start(Duration.ofSeconds(1), "worker",
        new PrintStream(err, true, StandardCharsets.UTF_8), halted::countDown);
    try {
      assertThat(halted.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      w.close();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    assertThat(secs).isBetween(1.0, 3.0);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("imgclass: worker: no progress for 1 s (limit --kv-timeout 1 s)");
  }

  @Test
  void ticksKeepItQuiet() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CountDownLatch halted = new CountDownLatch(1);
    try (Watchdog w = Watchdog.start(Duration.ofMillis(800), "worker", new PrintStream(err, true, StandardCharsets.UTF_8),
        halted::countDown)) {
      for (int i = 0; i < 12; i++) {
        Thread.sleep(200);
        w.tick();
      }
      assertThat(halted.getCount()).isEqualTo(1);
    }
    assertThat(err.size()).isZero();
  }
}
