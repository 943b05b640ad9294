package io.imgclass.core.lst;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values printed by CPython 3.11 (Debian /usr/bin/python3); the commands are in each comment. */
class PyRandomTest {
  @Test
  void randomMatchesCpython() {
    // python3 -c "import random; random.seed(100); print(repr(random.random()), repr(random.random()))"
    PyRandom r = new PyRandom(100);
    assertThat(r.random()).isEqualTo(0.1456692551041303);
    assertThat(r.random()).isEqualTo(0.45492700451402135);
  }

  @Test
  void shuffleMatchesCpython() {
    // python3 -c "import random; l=list(range(20)); random.seed(100); random.shuffle(l); print(l)"
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      l.add(i);
    }
    new PyRandom(100).shuffle(l);
    assertThat(l).containsExactly(EXPECTED_20);
  }

  @Test
  void bigSeedUsesTwoWords() {
    // python3 -c "import random; random.seed(2**40+5); print(random.getrandbits(32))"
    assertThat(new PyRandom((1L << 40) + 5).getrandbits(32)).isEqualTo(BIG_SEED_BITS);
  }

  static final Integer[] EXPECTED_20 = {7, 15, 19, 0, 2, 3, 13, 9, 10, 17, 1, 8, 6, 16, 11, 12, 5, 18, 14, 4};
  static final long BIG_SEED_BITS = 2166296868L;
}
