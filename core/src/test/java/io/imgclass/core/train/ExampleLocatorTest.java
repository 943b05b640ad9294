package io.imgclass.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.data.Batch;
import io.imgclass.core.data.Sample;
import io.imgclass.core.data.SampleSource;
import org.junit.jupiter.api.Test;

class ExampleLocatorTest {
  @Test
  void rowsOfABatchAreTracedThroughTheEpochOrder() {
    SampleSource src = new SampleSource() {
      public int size() { return 5; }
      public String describe() { return "five"; }
      public int labelWidth() { return 1; }
      public Cursor cursor() {
        return new Cursor() {
          public Sample read(int i) { return new Sample(new byte[0], new float[] {0}, "list.lst:" + (10 + i)); }
          public void close() {}
        };
      }
    };
    int[] order = {4, 2, 0, 1, 3};
    Batch second = new Batch(1, new float[0], new float[2], 2, 2);
    assertThat(ExampleLocator.of(src, order, 2, second).apply(0)).isEqualTo("list.lst:10"); // order[2] = 0
    assertThat(ExampleLocator.of(src, order, 2, second).apply(1)).isEqualTo("list.lst:11");
    Batch last = new Batch(2, new float[0], new float[2], 2, 2); // wraps to the start of the order
    assertThat(ExampleLocator.of(src, order, 2, last).apply(1)).isEqualTo("list.lst:14");
  }
}
