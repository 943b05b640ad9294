package io.imgclass.core.image;

/** im2rec's {@code --encoding}. */
public enum Encoding {
  /** JPEG, quality 1..100. */
  JPG(".jpg"),
  /** PNG, compression level 0..9. */
  PNG(".png");

  private final String ext;

  Encoding(String ext) {
    this.ext = ext;
  }

  /** The extension im2rec uses ({@code .jpg} or {@code .png}). */
  public String ext() {
    return ext;
  }

  /** Parses {@code .jpg}, {@code .jpeg}, {@code jpg}, {@code .png}, {@code png}. */
  public static Encoding parse(String s) {
    String e = s.toLowerCase(java.util.Locale.ROOT);
    e = e.startsWith(".") ? e.substring(1) : e;
    return switch (e) {
      case "jpg", "jpeg" -> JPG;
      case "png" -> PNG;
      default -> throw new IllegalArgumentException("--encoding must be .jpg or .png, got " + s);
    };
  }
}
