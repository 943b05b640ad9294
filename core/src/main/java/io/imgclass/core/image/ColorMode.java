package io.imgclass.core.image;

/** im2rec's {@code --color}, i.e. OpenCV's imread flag. */
public enum ColorMode {
  /** {@code 1}: three channels (alpha dropped, grey expanded). */
  COLOR(1),
  /** {@code 0}: one grey channel. */
  GRAY(0),
  /** {@code -1}: the file's own channels (grey, RGB or RGBA; 16-bit samples become 8-bit). */
  UNCHANGED(-1);

  private final int flag;

  ColorMode(int flag) {
    this.flag = flag;
  }

  /** The im2rec / OpenCV flag value. */
  public int flag() {
    return flag;
  }

  /** The mode for an im2rec {@code --color} value. */
  public static ColorMode ofFlag(int flag) {
    for (ColorMode m : values()) {
      if (m.flag == flag) {
        return m;
      }
    }
    throw new IllegalArgumentException("--color must be 1, 0 or -1, got " + flag);
  }
}
