package io.imgclass.core.infer;

import io.imgclass.core.image.ImageDecodeException;
import io.imgclass.core.model.ModelArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * SageMaker's inference contract for the image-classification algorithm, without sockets: {@code
 * GET /ping} and {@code POST /invocations}. {@link InferenceServer} puts it on HTTP.
 *
 * <ul>
 *   <li>Content-Type {@code image/jpeg}, {@code image/png} or {@code application/x-image}
 *       (parameters ignored), else 415.
 *   <li>Accept {@code application/json} (a bare JSON array of probabilities; also for no Accept,
 *       {@code *}{@code /*} or {@code application/*}) or {@code application/jsonlines}
 *       ({@code {"prediction": [...]}} and a newline), else 406. A list is read in order and the
 *       first supported type wins; q-values are not ranked.
 *   <li>Bodies above the limit: 413, decided from Content-Length before reading and enforced
 *       while reading (chunked uploads have no length).
 *   <li>An image whose header claims more pixels than {@link
 *       io.imgclass.core.image.ImageLimits#maxPixels()}: 413, refused before decoding.
 *   <li>Bytes that do not decode: 400. Errors have a JSON body {@code {"error": "...", "status": N}}.
 * </ul>
 *
 * Preprocessing is SageMaker's endpoint's ({@link Preprocessing#stretch}). Thread-safe.
 */
public final class InferenceHandler implements AutoCloseable {
  /** Content types the endpoint accepts, as SageMaker's algorithm does. */
  public static final Set<String> CONTENT_TYPES = Set.of("image/jpeg", "image/png", "application/x-image");
  /** SageMaker's default payload limit is 6 MB (6,291,456 bytes). */
  public static final long DEFAULT_MAX_BODY = 6L * 1024 * 1024;

  /**
   * An HTTP answer.
   *
   * @param status the status code
   * @param contentType the body's type, or null for no body
   * @param body the body (empty when there is none)
   */
  public record Response(int status, String contentType, byte[] body) {
    /** The body as text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Engine engine;
  private final Preprocessing preprocessing;
  private final long maxBody;
  private volatile boolean draining;

  /**
   * @param artifact the loaded model (its image_shape decides the preprocessing)
   * @param engine runs the network (owned: closed with this handler)
   * @param maxBodyBytes the largest request body accepted
   */
  public InferenceHandler(ModelArtifact artifact, Engine engine, long maxBodyBytes) {
    this(artifact.imageShape(), engine, maxBodyBytes);
  }

  /**
   * @param imageShape the model's input C,H,W (decides the preprocessing)
   * @param engine runs the network (owned: closed with this handler)
   * @param maxBodyBytes the largest request body accepted
   */
  public InferenceHandler(io.imgclass.core.model.ImageShape imageShape, Engine engine, long maxBodyBytes) {
    if (maxBodyBytes < 1) {
      throw new io.imgclass.core.UsageException("--max-body-bytes must be >= 1, got " + maxBodyBytes);
    }
    this.engine = engine;
    this.preprocessing = Preprocessing.stretch(imageShape);
    this.maxBody = maxBodyBytes;
  }

  /** {@code GET /ping}: 200 once the model is loaded (it is, once this exists); 503 while stopping. */
  public Response ping() {
    return draining ? error(503, "shutting down") : new Response(200, null, new byte[0]);
  }

  /** Makes {@link #ping} answer 503 so a load balancer stops sending requests. */
  public void drain() {
    draining = true;
  }

  /**
   * {@code POST /invocations}.
   *
   * @param contentType the Content-Type header, or null
   * @param accept the Accept header, or null
   * @param declaredLength Content-Length, or -1 when unknown
   * @param body the request body (read at most up to the limit + 1 bytes)
   */
  public Response invoke(String contentType, String accept, long declaredLength, InputStream body)
      throws IOException, InterruptedException {
    if (declaredLength > maxBody) {
      return tooLarge();
    }
    String type = contentType == null ? "" : mediaType(contentType);
    if (!CONTENT_TYPES.contains(type)) {
      return error(415, "unsupported Content-Type '" + (contentType == null ? "" : contentType.strip())
          + "'; send image/jpeg, image/png or application/x-image");
    }
    BatchPrediction.Accept acc = accept(accept);
    if (acc == null) {
      return error(406, "unsupported Accept '" + accept.strip() + "'; ask for application/json or application/jsonlines");
    }
    byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
    if (bytes.length > maxBody) {
      return tooLarge();
    }
    float[] input;
    try {
      input = preprocessing.apply(bytes);
    } catch (io.imgclass.core.image.ImageTooLargeException e) {
      return error(413, "image too large (" + bytes.length + " bytes): " + e.getMessage());
    } catch (ImageDecodeException e) {
      return error(400, "cannot decode the image (" + bytes.length + " bytes): " + e.getMessage());
    }
    float[] p = engine.predict(input);
    String out = acc == BatchPrediction.Accept.JSON
        ? BatchPrediction.jsonArray(p)
        : "{\"prediction\": " + BatchPrediction.jsonArray(p) + "}\n";
    return new Response(200, acc == BatchPrediction.Accept.JSON ? "application/json" : "application/jsonlines",
        out.getBytes(StandardCharsets.UTF_8));
  }

  /** The largest request body accepted, in bytes. */
  public long maxBodyBytes() {
    return maxBody;
  }

  private Response tooLarge() {
    return error(413, "request body larger than " + maxBody + " bytes");
  }

  /** The JSON error answer. */
  public static Response error(int status, String message) {
    String body = "{\"error\": " + BatchPrediction.quote(message) + ", \"status\": " + status + "}\n";
    return new Response(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static String mediaType(String header) {
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  /** The answer format for an Accept header, or null if nothing in it is supported. */
  static BatchPrediction.Accept accept(String header) {
    if (header == null || header.isBlank()) {
      return BatchPrediction.Accept.JSON;
    }
    for (String part : header.split(",")) {
      String t = mediaType(part);
      switch (t) {
        case "application/json", "*/*", "application/*" -> {
          return BatchPrediction.Accept.JSON;
        }
        case "application/jsonlines" -> {
          return BatchPrediction.Accept.JSONLINES;
        }
        default -> {
          // try the next one
        }
      }
    }
    return null;
  }

  /** Frees the engine; call when no request is running. */
  @Override
  public void close() {
    engine.close();
  }
}
