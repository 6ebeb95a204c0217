package io.jenkins.plugins.icr.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS proxy on loopback, as agents behind a corporate proxy use: {@code CONNECT host:port} with Basic
 * credentials, then a byte tunnel. Every host it is asked for is reached on loopback, so {@link
 * TestPki#PROXIED_NAME} leads to the testbed only through it. It counts the tunnels it opened.
 */
public final class TunnelProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String expected;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public TunnelProxy(String user, String password) throws IOException {
        this.expected = "basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "tunnel-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** The proxy's URL with its credentials, as {@code HTTPS_PROXY} takes it. */
    public String url(String user, String password) {
        return "http://" + user + ":" + password + "@127.0.0.1:" + server.getLocalPort();
    }

    public int tunnels() {
        return tunnels.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                daemon(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            List<String> head = readHead(in);
            String[] request = head.isEmpty() ? new String[0] : head.get(0).split(" ");
            boolean authorized = head.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")
                    && h.substring(h.indexOf(':') + 1).strip().equalsIgnoreCase(expected));
            OutputStream out = client.getOutputStream();
            if (request.length < 2 || !request[0].equals("CONNECT")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (!authorized) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            int port = Integer.parseInt(request[1].substring(request[1].lastIndexOf(':') + 1));
            try (Socket target = new Socket(InetAddress.getLoopbackAddress(), port)) {
                open.add(target);
                tunnels.incrementAndGet();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = daemon(() -> pipe(target, client));
                pipe(client, target);
                back.join(30_000);
            }
        } catch (IOException | InterruptedException e) {
            // a closed tunnel ends its connection
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> head = new java.util.ArrayList<>();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).strip();
                if (text.isEmpty()) {
                    return head;
                }
                head.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return head;
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static Thread daemon(Runnable task) {
        Thread t = new Thread(task, "tunnel-proxy-connection");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
