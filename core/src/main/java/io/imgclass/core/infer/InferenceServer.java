package io.imgclass.core.infer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link InferenceHandler} on HTTP/1.1 with the JDK's {@code com.sun.net.httpserver} (no extra
 * dependency). Routes: {@code GET /ping}, {@code POST /invocations}; other paths 404, other
 * methods 405.
 *
 * <p>Bounded so a client cannot take it down ({@link Limits}): the JDK server reads a request's
 * headers on an executor thread, so connections are read by a pool of their own ({@link
 * Limits#connections()}), larger than the decode-and-predict work ({@link Limits#threads()}), which
 * a stalled or slow client never holds; {@code /ping} needs no work slot and is answered while
 * every one is busy. A request whose headers and body have not arrived within {@link
 * Limits#readTimeout()} is cut off (the JDK's {@code sun.net.httpserver.maxReqTime}). At most
 * {@link Limits#queue()} complete requests wait for a work slot; beyond that, 503 at once.
 */
public final class InferenceServer {
  /**
   * How much a server takes on.
   *
   * @param threads requests decoded and predicted at once
   * @param connections connections read at once (a stalled client holds one until the timeout)
   * @param queue complete requests that may wait for a work slot; more get 503
   * @param readTimeout time for a request's headers and body to arrive (whole seconds, one
   *     setting per process: the JDK reads it when its first server starts)
   */
  public record Limits(int threads, int connections, int queue, Duration readTimeout) {
    /** Default read timeout: generous for a 6 MB body on a slow link, short for a stalled one. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public Limits {
      if (threads < 1 || connections < 1 || queue < 0 || readTimeout.toSeconds() < 1) {
        throw new io.imgclass.core.UsageException("server limits must be positive (threads " + threads
            + ", connections " + connections + ", queue " + queue + ", read timeout " + readTimeout.toSeconds() + " s)");
      }
    }

    /** {@code threads} work slots, 64 (or 4 per slot) connections, a queue of 4 per slot, 60 s. */
    public static Limits of(int threads) {
      int t = Math.max(1, threads);
      return new Limits(t, Math.max(64, 4 * t), 4 * t, DEFAULT_READ_TIMEOUT);
    }
  }

  /** The JDK server's request-read limit in seconds, read once when its first server is made. */
  static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

  private final HttpServer server;
  private final ExecutorService executor;
  private final InferenceHandler handler;
  private final java.util.concurrent.Semaphore work;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Limits limits;
  // Exchanges being handled; JDK 17's HttpServer.stop(delay) always waits the whole delay, so
  // graceful shutdown counts in-flight requests itself.
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  private InferenceServer(HttpServer server, ExecutorService executor, InferenceHandler handler, Limits limits) {
    this.server = server;
    this.executor = executor;
    this.handler = handler;
    this.limits = limits;
    this.work = new java.util.concurrent.Semaphore(limits.threads(), true);
  }

  /**
   * Binds and starts serving.
   *
   * @param port 0 for any free port (see {@link #address()})
   * @param threads requests decoded and predicted at once, with {@link Limits#of}'s other defaults
   */
  public static InferenceServer start(InferenceHandler handler, String host, int port, int threads) throws IOException {
    return start(handler, host, port, Limits.of(threads));
  }

  /** Binds and starts serving within {@code limits}. */
  public static InferenceServer start(InferenceHandler handler, String host, int port, Limits limits) throws IOException {
    if (System.getProperty(MAX_REQ_TIME) == null) {
      System.setProperty(MAX_REQ_TIME, Long.toString(limits.readTimeout().toSeconds()));
    }
    // TCP_NODELAY: the JDK server writes the headers and the body separately; with Nagle's
    // algorithm the body then waits for the client's delayed ACK (~40 ms per request, measured).
    // The property is read once, when the JDK's server configuration class is first loaded.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 128);
    AtomicInteger n = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(limits.connections(), r -> {
      Thread t = new Thread(r, "imgclass-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(ex);
    InferenceServer srv = new InferenceServer(s, ex, handler, limits);
    s.createContext("/", srv::handle);
    s.start();
    return srv;
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange x) throws IOException {
    inFlight.incrementAndGet();
    try (x) {
      if (draining) {
        // Stopping: answer at once and close, so clients retry elsewhere.
        x.getResponseHeaders().set("Connection", "close");
        byte[] b = InferenceHandler.error(503, "shutting down").body();
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(503, b.length);
        x.getResponseBody().write(b);
        return;
      }
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      InferenceHandler.Response r;
      boolean closeAfter = false;
      try {
        if (path.equals("/ping")) {
          r = method.equals("GET") || method.equals("HEAD") ? handler.ping() : notAllowed(x, "GET");
        } else if (path.equals("/invocations")) {
          if (method.equals("POST")) {
            long len = contentLength(x.getRequestHeaders().getFirst("Content-Length"));
            r = invoke(x, len);
            // An unread body would be parsed as the next request: close the connection instead.
            closeAfter = r.status() == 413;
          } else {
            r = notAllowed(x, "POST");
          }
        } else {
          r = InferenceHandler.error(404, "no such path: " + path + " (use /ping or /invocations)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        r = InferenceHandler.error(503, "shutting down");
      } catch (RuntimeException e) {
        r = InferenceHandler.error(500, "prediction failed: " + e.getMessage());
      }
      if (closeAfter) {
        x.getResponseHeaders().set("Connection", "close");
      }
      if (r.contentType() != null) {
        x.getResponseHeaders().set("Content-Type", r.contentType());
      }
      boolean noBody = r.body().length == 0 || method.equals("HEAD");
      x.sendResponseHeaders(r.status(), noBody ? -1 : r.body().length);
      if (!noBody) {
        try (OutputStream os = x.getResponseBody()) {
          os.write(r.body());
        }
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * Reads the body on this connection thread (bounded by the handler's limit and the read
   * timeout), then decodes and predicts in a work slot, or answers 503 when too many wait.
   */
  private InferenceHandler.Response invoke(HttpExchange x, long declaredLength) throws IOException, InterruptedException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    String accept = x.getRequestHeaders().getFirst("Accept");
    // Not closed here: closing drains what the client still sends, which would delay a 413 until
    // the whole oversized body had arrived. The exchange closes it after the answer.
    InputStream in = x.getRequestBody();
    if (declaredLength > handler.maxBodyBytes()) {
      return handler.invoke(type, accept, declaredLength, in); // 413 without reading
    }
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, handler.maxBodyBytes() + 1));
    if (waiting.incrementAndGet() > limits.queue() + limits.threads()) {
      waiting.decrementAndGet();
      return InferenceHandler.error(503, "busy: " + limits.threads() + " requests running and " + limits.queue()
          + " waiting; retry later");
    }
    try {
      work.acquire();
      try {
        return handler.invoke(type, accept, body.length, new java.io.ByteArrayInputStream(body));
      } finally {
        work.release();
      }
    } finally {
      waiting.decrementAndGet();
    }
  }

  private static InferenceHandler.Response notAllowed(HttpExchange x, String allow) {
    x.getResponseHeaders().set("Allow", allow);
    return InferenceHandler.error(405, x.getRequestMethod() + " is not allowed here; use " + allow);
  }

  private static long contentLength(String h) {
    if (h == null) {
      return -1;
    }
    try {
      return Long.parseLong(h.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Stops gracefully: /ping and new requests get 503, requests in flight get up to {@code grace}
   * to finish, then the listener and connections are closed and the network is freed (unless some
   * request is still running after the grace period, in which case the process is about to exit).
   *
   * @return whether every request in flight finished in time
   */
  public boolean stop(Duration grace) {
    handler.drain();
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    boolean done = true;
    try {
      while (inFlight.get() > 0) {
        if (System.nanoTime() > deadline) {
          done = false;
          break;
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done = false;
    }
    server.stop(0);
    executor.shutdown();
    try {
      done &= executor.awaitTermination(done ? 5 : 0, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done = false;
    }
    if (done) {
      handler.close();
    }
    return done;
  }
}
