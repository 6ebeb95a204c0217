package io.jenkins.plugins.icr.testbed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

/**
 * An attacker's server: a loopback HTTP listener that keeps everything sent to it (request line, headers, body) and
 * answers like a broken IAM. Attack tests point a credential or a request at it and then ask whether a secret
 * arrived, in any form.
 */
public final class KeyTrap implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Http.executor("key-trap");
    private final List<String> received = new CopyOnWriteArrayList<>();

    private KeyTrap() throws IOException {
        server = Http.server(null, executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                StringBuilder request = new StringBuilder(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                exchange.getRequestHeaders().forEach((name, values) -> request.append('\n').append(name).append(": ")
                        .append(String.join(", ", values)));
                request.append("\n\n").append(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                received.add(request.toString());
                Http.send(exchange, 400, "text/plain", "no".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    public static KeyTrap start() throws IOException {
        return new KeyTrap();
    }

    /** {@code http://127.0.0.1:PORT}: plain http on loopback, which an IAM client accepts as an endpoint. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests arrived. */
    public int requests() {
        return received.size();
    }

    /** Whether the secret arrived in any request: as is, URL-encoded, or in any form a log could show. */
    public boolean received(String secret) {
        List<String> forms = new java.util.ArrayList<>(SecretsInOutput.forms(secret).values());
        forms.add(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8));
        return received.stream().anyMatch(request -> forms.stream().anyMatch(request::contains));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
