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
 */
public final class InferenceServer {
  private final HttpServer server;
  private final ExecutorService executor;
  private final InferenceHandler handler;
  // Exchanges being handled; JDK 17's HttpServer.stop(delay) always waits the whole delay, so
  // graceful shutdown counts in-flight requests itself.
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  private InferenceServer(HttpServer server, ExecutorService executor, InferenceHandler handler) {
    this.server = server;
    this.executor = executor;
    this.handler = handler;
  }

  /**
   * Binds and starts serving.
   *
   * @param port 0 for any free port (see {@link #address()})
   * @param threads HTTP worker threads (each reads, decodes and waits for the network)
   */
  public static InferenceServer start(InferenceHandler handler, String host, int port, int threads) throws IOException {
    // TCP_NODELAY: the JDK server writes the headers and the body separately; with Nagle's
    // algorithm the body then waits for the client's delayed ACK (~40 ms per request, measured).
    // The property is read once, when the JDK's server configuration class is first loaded.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 128);
    AtomicInteger n = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "imgclass-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    s.setExecutor(ex);
    InferenceServer srv = new InferenceServer(s, ex, handler);
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
            // Not closed here: closing drains what the client still sends, which would delay a
            // 413 until the whole oversized body had arrived. The exchange closes it after the answer.
            InputStream in = x.getRequestBody();
            r = handler.invoke(x.getRequestHeaders().getFirst("Content-Type"),
                x.getRequestHeaders().getFirst("Accept"), len, in);
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
