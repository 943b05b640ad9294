package io.imgclass.core.inspect;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code imgclass inspect} found in one {@code .rec} (and its {@code .idx}). Maps are
 * ordered (numerically where the keys are numbers) so the JSON form is stable. The field names are
 * the JSON schema {@value #SCHEMA}, documented in {@code docs/formats.md}.
 *
 * @param schema {@value #SCHEMA}
 * @param file the {@code .rec} path as given
 * @param fileBytes its size
 * @param records records read (resynchronising over damage)
 * @param payloadBytes sum of the record payload sizes
 * @param header image record header statistics
 * @param labels label statistics
 * @param images image format and size statistics
 * @param index {@code .idx} consistency, or null when there is no index
 * @param corrupt regions the reader had to skip
 * @param verify whether {@code --verify} was given
 * @param problems one line per finding that fails {@code --verify}
 * @param ok whether the exit code is 0: no corrupt region, and with {@code verify} no problem
 */
public record InspectReport(
    String schema,
    String file,
    long fileBytes,
    long records,
    long payloadBytes,
    Header header,
    Labels labels,
    Images images,
    Index index,
    Corrupt corrupt,
    boolean verify,
    List<String> problems,
    boolean ok) {

  /** The schema name and version written into the JSON form. */
  public static final String SCHEMA = "imgclass-inspect/1";

  /**
   * IRHeader statistics.
   *
   * @param valid records with a well-formed IRHeader
   * @param invalid records too short for the header (and labels) they declare
   * @param flags how many records have each {@code flag} value (0 = single label)
   * @param idMin smallest id (null when no valid header)
   * @param idMax largest id (null when no valid header)
   * @param duplicateIds records whose id an earlier record already had
   * @param nonZeroId2 records whose id2 is not 0 (MXNet always writes 0)
   * @param examples up to 10 invalid headers, as {@code "at byte N: reason"}
   */
  public record Header(
      long valid, long invalid, Map<String, Long> flags, Long idMin, Long idMax, long duplicateIds,
      long nonZeroId2, List<String> examples) {}

  /**
   * Label statistics.
   *
   * @param kind {@code single}, {@code multi}, {@code mixed} or {@code none}
   * @param single records per single label value (flag 0), at most {@value RecInspector#MAX_DISTINCT}
   *     distinct values
   * @param singleOther single-label records whose value did not fit in {@code single}
   * @param labelWidths records per label count (flag > 0)
   * @param positions per label position of multi-label records: non-zero count and value histogram
   */
  public record Labels(
      String kind, Map<String, Long> single, long singleOther, Map<String, Long> labelWidths,
      List<Position> positions) {}

  /**
   * One label position (column) of multi-label records.
   *
   * @param position 0-based column
   * @param records records that have this column
   * @param nonZero of them, how many have a non-zero value (for multi-hot: how many carry the class)
   * @param values records per value, at most {@value RecInspector#MAX_POSITION_VALUES} distinct
   * @param otherValues records whose value did not fit in {@code values}
   */
  public record Position(int position, long records, long nonZero, Map<String, Long> values, long otherValues) {}

  /**
   * Image statistics.
   *
   * @param formats records per format sniffed from the first bytes ({@code JPEG}, {@code PNG},
   *     {@code GIF}, {@code BMP}, {@code TIFF}, {@code WEBP}, {@code other}, {@code empty})
   * @param decodeMode {@code sample} or {@code all} (with {@code --verify})
   * @param decoded images given to the decoder
   * @param decodedOk of them, decoded without error or warning
   * @param shapes decoded images per {@code WIDTHxHEIGHTxCHANNELS}
   * @param failures up to {@value RecInspector#MAX_EXAMPLES} images that did not decode
   * @param failureCount all images that did not decode
   */
  public record Images(
      Map<String, Long> formats, String decodeMode, long decoded, long decodedOk, Map<String, Long> shapes,
      List<ImageFailure> failures, long failureCount) {}

  /**
   * An image that did not decode.
   *
   * @param offset byte offset of its record
   * @param id its IRHeader id
   * @param reason what the decoder said
   */
  public record ImageFailure(long offset, long id, String reason) {}

  /**
   * {@code .idx} consistency.
   *
   * @param file the index path
   * @param entries lines in the index
   * @param misplacedEntries entries whose offset is not the start of a record that was read
   * @param unindexedRecords records no entry points at
   * @param duplicateKeys entries whose key an earlier entry already had
   * @param duplicateOffsets entries pointing at a record an earlier entry already points at
   * @param keyIdMismatches entries whose key differs from their record's IRHeader id
   * @param examples up to {@value RecInspector#MAX_EXAMPLES} of each kind of finding
   * @param consistent whether all the counts above are 0 and entries equals records
   */
  public record Index(
      String file, long entries, long misplacedEntries, long unindexedRecords, long duplicateKeys,
      long duplicateOffsets, long keyIdMismatches, List<String> examples, boolean consistent) {}

  /**
   * What the reader skipped.
   *
   * @param regions the skipped byte ranges, in file order
   * @param skippedBytes their total length
   */
  public record Corrupt(List<Region> regions, long skippedBytes) {}

  /**
   * One skipped byte range.
   *
   * @param start first byte
   * @param end first byte after it
   * @param length {@code end - start}
   * @param reason what was wrong at {@code start}
   */
  public record Region(long start, long end, long length, String reason) {}
}
