package io.imgclass.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgclass.core.image.Pixels;
import io.imgclass.core.train.Augmenter;
import io.imgclass.core.train.TrainingHyperparameters.Augmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
  /** n tiny RGB examples; example i's pixels are a pattern seeded by i, its label is i. */
  static SampleSource source(int n) {
    return new SampleSource() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public String describe() {
        return "generated";
      }

      @Override
      public int labelWidth() {
        return 1;
      }

      @Override
      public Cursor cursor() {
        return new Cursor() {
          @Override
          public Sample read(int i) {
            return new Sample(new byte[] {(byte) i}, new float[] {i}, "generated:" + i);
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  /** The "image bytes" are one byte, i; decode it into a 12x10 pattern. */
  static final BatchLoader.Decoder DECODER = (bytes, where) -> {
    byte[] px = new byte[12 * 10 * 3];
    for (int k = 0; k < px.length; k++) {
      px[k] = (byte) (k * 7 + bytes[0] * 31);
    }
    return new Pixels(12, 10, 3, px);
  };

  private static List<Batch> epoch(int n, int batch, boolean wrap, int threads, int prefetch) {
    Augmenter aug = new Augmenter(Augmentation.CROP_COLOR, new int[] {3, 8, 8}, 0);
    int[] order = BatchLoader.shuffled(n, 42);
    List<Batch> out = new ArrayList<>();
    try (BatchLoader l = new BatchLoader(source(n), order, batch, new int[] {3, 8, 8}, aug, DECODER, wrap, 7, threads, prefetch)) {
      while (l.hasNext()) {
        out.add(l.next());
      }
    }
    return out;
  }

  @Test
  void sameBatchesWhateverTheModeAndThreadCount() {
    List<Batch> reference = epoch(23, 5, true, 1, 2);
    for (int[] tp : new int[][] {{1, 0}, {2, 0}, {3, 0}, {4, 4}, {2, 1}}) {
      List<Batch> other = epoch(23, 5, true, tp[0], tp[1]);
      assertThat(other).hasSameSizeAs(reference);
      for (int b = 0; b < reference.size(); b++) {
        assertThat(other.get(b).index()).isEqualTo(b);
        assertThat(Arrays.equals(other.get(b).data(), reference.get(b).data()))
            .as("batch %d, threads %d, prefetch %d", b, tp[0], tp[1]).isTrue();
        assertThat(other.get(b).labels()).containsExactly(reference.get(b).labels());
      }
    }
  }

  @Test
  void trainingWrapsTheLastBatchAndValidationPadsIt() {
    List<Batch> train = epoch(7, 3, true, 2, 0);
    assertThat(train).hasSize(3);
    int[] order = BatchLoader.shuffled(7, 42);
    // The last batch holds example 7 % 7 = order[0] and then order[1] again.
    assertThat(train.get(2).labels()).containsExactly(order[6], order[0], order[1]);
    assertThat(train.get(2).valid()).isEqualTo(3);
    List<Batch> val = epoch(7, 3, false, 2, 0);
    assertThat(val.get(2).valid()).isEqualTo(1);
    assertThat(val.get(2).labels()).containsExactly(order[6], 0, 0);
  }

  @Test
  void samplesDifferInTheirRandomAugmentation() {
    // Two copies of one example in a batch must not get the same crop and colour offsets.
    Batch b = epoch(1, 4, true, 2, 0).get(0);
    int sample = 3 * 8 * 8;
    assertThat(Arrays.equals(Arrays.copyOfRange(b.data(), 0, sample), Arrays.copyOfRange(b.data(), sample, 2 * sample))).isFalse();
  }
}
