package io.imgclass.core.lst;

import java.util.List;

/**
 * CPython 3's {@code random.Random} for the two calls im2rec makes: {@code seed(n)} with a
 * non-negative int and {@code shuffle(list)}. With {@link #IM2REC_SEED} this reproduces im2rec.py's
 * list order exactly (spec §3), so {@code make-lst} output is byte-identical to im2rec's.
 *
 * <p>MT19937 seeded with {@code init_by_array} of the seed's 32-bit words (least significant
 * first); {@code shuffle} walks {@code i = n-1 .. 1} and swaps with {@code randbelow(i+1)}, which
 * draws {@code bit_length(i+1)} bits ({@code genrand >>> (32-k)}) and rejects values {@code >= i+1}.
 * Python 2 shuffled differently ({@code int(random()*(i+1))}); we follow Python 3.
 *
 * <p>Not thread-safe; create one per use.
 */
public final class PyRandom {
  /** The seed im2rec.py hard-codes ({@code random.seed(100)}). */
  public static final long IM2REC_SEED = 100;

  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int mti;

  /** Equivalent to {@code random.seed(seed)} in CPython 3 for an int seed. */
  public PyRandom(long seed) {
    long a = Math.abs(seed);
    // CPython splits abs(seed) into 32-bit words, least significant first; 0 gives the key [0].
    int[] key;
    if ((a >>> 32) != 0) {
      key = new int[] {(int) a, (int) (a >>> 32)};
    } else {
      key = new int[] {(int) a};
    }
    initByArray(key);
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (mti = 1; mti < N; mti++) {
      mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
    }
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next 32-bit output of MT19937 (as an unsigned value in an int). */
  public int genrandUint32() {
    if (mti >= N) {
      int kk;
      for (kk = 0; kk < N - M; kk++) {
        int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        int y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      int y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      mti = 0;
    }
    int y = mt[mti++];
    y ^= (y >>> 11);
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= (y >>> 18);
    return y;
  }

  /** {@code random.getrandbits(k)} for 1 <= k <= 32. */
  public long getrandbits(int k) {
    if (k < 1 || k > 32) {
      throw new IllegalArgumentException("k must be in 1..32, got " + k);
    }
    return (genrandUint32() & 0xffffffffL) >>> (32 - k);
  }

  /** {@code random._randbelow(n)} (the getrandbits rejection method), n >= 1, n < 2^32. */
  public long randbelow(long n) {
    int k = 64 - Long.numberOfLeadingZeros(n);
    long r = getrandbits(k);
    while (r >= n) {
      r = getrandbits(k);
    }
    return r;
  }

  /** {@code random.shuffle(list)}, in place. */
  public <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = (int) randbelow(i + 1L);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** {@code random.random()}: 53-bit float from two draws (used by tests against CPython). */
  public double random() {
    long a = (genrandUint32() & 0xffffffffL) >>> 5;
    long b = (genrandUint32() & 0xffffffffL) >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }
}
