package io.imgclass.core.pack;

import java.nio.file.Path;

/**
 * What packing one list produced.
 *
 * @param lst the list
 * @param rec the .rec written
 * @param idx the .idx written
 * @param records records written
 * @param bad images skipped (listed in {@code badReport})
 * @param badReport the bad-image report, or null when there were none
 * @param recBytes size of the .rec
 * @param seconds wall time of the packing pass (decoding to the final rename)
 */
public record PackResult(
    Path lst, Path rec, Path idx, long records, long bad, Path badReport, long recBytes, double seconds) {

  /** Steady-state throughput of the packing pass. */
  public double imagesPerSecond() {
    return seconds > 0 ? (records + bad) / seconds : 0;
  }
}
