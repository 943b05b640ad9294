package io.imgclass.core.label;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * A label's numbers as written, before a {@link LabelFormat} gives them a meaning: one number, or a
 * list of numbers. Mutable and reusable, because the manifest reader fills one per line on its hot
 * path without allocating; copy it ({@link #copy()}) to keep it.
 */
public final class LabelValue {
  private static final JsonFactory JSON = new JsonFactory();

  private boolean array;
  private double[] values = new double[16];
  private int size;

  /** Makes this the single number {@code v}. */
  public LabelValue setScalar(double v) {
    array = false;
    values[0] = v;
    size = 1;
    return this;
  }

  /** Makes this an empty list; fill it with {@link #add}. */
  public LabelValue startArray() {
    array = true;
    size = 0;
    return this;
  }

  /** Appends a list item. */
  public void add(double v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  /** True for a list (even of length 1), false for a bare number. */
  public boolean isArray() {
    return array;
  }

  /** The number of values (1 for a bare number). */
  public int size() {
    return size;
  }

  /** The i-th value. */
  public double get(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return values[i];
  }

  /** An independent copy. */
  public LabelValue copy() {
    LabelValue c = new LabelValue();
    c.array = array;
    c.values = Arrays.copyOf(values, Math.max(size, 1));
    c.size = size;
    return c;
  }

  /**
   * Parses a label given as a JSON string, the way a Pipe-mode stream hands it to the algorithm:
   * the string's content is the label's text, read as JSON. So {@code "1"} is the number 1 and
   * {@code "[0, 2]"} the list [0, 2]; whitespace around it is allowed, anything else ({@code
   * "cat"}, {@code "0,2"}, {@code "[0 2]"}, a nested list) is not.
   *
   * @return null on success (this value is filled), else the reason the text is not a label
   */
  public String parseText(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return "the string is empty";
      }
      if (t.isNumeric()) {
        setScalar(p.getDoubleValue());
      } else if (t == JsonToken.START_ARRAY) {
        startArray();
        int i = 0;
        for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
          if (t == null || !t.isNumeric()) {
            return "item " + i + " of the list in the string is " + describe(t) + ", not a number";
          }
          add(p.getDoubleValue());
        }
      } else {
        return "the string holds " + describe(t) + ", not a number or a list of numbers";
      }
      if (p.nextToken() != null) {
        return "the string has more after its first value";
      }
      return null;
    } catch (JsonProcessingException e) {
      return "the string is not a number or a list of numbers (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A short name of a JSON token's type, for messages. */
  public static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  /** Formats a number for messages: integers without a decimal point. */
  public static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public String toString() {
    if (!array) {
      return format(values[0]);
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      b.append(i > 0 ? ", " : "").append(format(values[i]));
    }
    return b.append(']').toString();
  }
}
