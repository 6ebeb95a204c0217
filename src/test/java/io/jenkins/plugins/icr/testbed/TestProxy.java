package io.jenkins.plugins.icr.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A forward HTTP proxy on loopback that asks for Basic credentials (407) and relays plain-HTTP requests, as a
 * corporate proxy in front of IAM would. It counts what it relayed.
 */
public final class TestProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("proxy-authorization", "connection", "host", "content-length",
            "proxy-connection", "keep-alive", "transfer-encoding");

    private final HttpServer server;
    private final ExecutorService executor = Http.executor("test-proxy");
    private final HttpClient forward = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private final String expected;
    private final AtomicInteger relayed = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public TestProxy(String user, String password) throws IOException {
        this.expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = Http.server(null, executor);
        server.createContext("/", this::relay);
        server.start();
    }

    public ProxySelector selector() {
        return ProxySelector.of(new InetSocketAddress("127.0.0.1", server.getAddress().getPort()));
    }

    public int relayed() {
        return relayed.get();
    }

    public int refused() {
        return refused.get();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Proxy-Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().set("Proxy-Authenticate", "Basic realm=\"test proxy\"");
                exchange.sendResponseHeaders(407, -1);
                return;
            }
            URI target = exchange.getRequestURI(); // absolute-form: http://host:port/path
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                            exchange.getRequestBody().readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> answer = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            relayed.incrementAndGet();
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] body = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
