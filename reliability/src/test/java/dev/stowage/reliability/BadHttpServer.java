package dev.stowage.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 server on a bare socket that misbehaves on purpose, one request per connection. Paths are
 * {@code /<behaviour>/<n>/<object>}. HEAD is answered correctly except for {@code stallhead}, {@code drop} and
 * {@code garbage}; GET honours {@code Range} (206 with Content-Range, 416 past the end) and then:
 * <ul>
 *   <li>{@code ok}: sends the body;</li>
 *   <li>{@code cut}: sends {@code n} bytes of the body and closes the connection (FIN);</li>
 *   <li>{@code reset}: sends {@code n} bytes and resets the connection (RST);</li>
 *   <li>{@code stall}: sends {@code n} bytes and then nothing, keeping the connection open;</li>
 *   <li>{@code stallhead}: reads the request and never answers;</li>
 *   <li>{@code drop}: reads the request and closes without answering;</li>
 *   <li>{@code garbage}: answers with bytes that are not HTTP;</li>
 *   <li>{@code wrong}: sends the whole body with the byte at object offset {@code n} changed.</li>
 * </ul>
 */
final class BadHttpServer implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/([a-z]+)/(\\d+)/([A-Za-z0-9._-]+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final ServerSocket socket;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "bad-http");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;

    BadHttpServer() throws IOException {
        socket = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
        executor.execute(() -> {
            while (!closed) {
                try {
                    Socket connection = socket.accept();
                    open.add(connection);
                    executor.execute(() -> serve(connection));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    void put(String name, byte[] data) {
        objects.put(name, data);
    }

    URI uri(String behaviour, long n, String name) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/" + behaviour + "/" + n + "/" + name);
    }

    long requests() {
        return requests.get();
    }

    private void serve(Socket connection) {
        try {
            requests.incrementAndGet();
            String head = readHead(connection.getInputStream());
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Matcher path = PATH.matcher(requestLine.length > 1 ? requestLine[1] : "");
            OutputStream out = connection.getOutputStream();
            if (!path.matches() || !objects.containsKey(path.group(3))) {
                out.write(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                return;
            }
            String behaviour = path.group(1);
            long n = Long.parseLong(path.group(2));
            byte[] data = objects.get(path.group(3));
            switch (behaviour) {
                case "stallhead" -> {
                    stall();
                    return;
                }
                case "drop" -> {
                    return;
                }
                case "garbage" -> {
                    out.write(ascii("SSH-2.0-OpenSSH_9.2\r\n\u0000\u0001\u0002 not http at all\r\n\r\n"));
                    return;
                }
                default -> {
                }
            }
            if (requestLine[0].equals("HEAD")) {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + data.length
                        + "\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n"));
                return;
            }
            long first = 0;
            long last = data.length - 1L;
            boolean ranged = false;
            for (String line : lines) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
                    Matcher range = RANGE.matcher(line.substring(6).trim());
                    if (range.matches()) {
                        ranged = true;
                        first = Long.parseLong(range.group(1));
                        if (!range.group(2).isEmpty()) {
                            last = Math.min(last, Long.parseLong(range.group(2)));
                        }
                    }
                }
            }
            if (ranged && first >= data.length) {
                out.write(ascii("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" + data.length
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                return;
            }
            long length = last - first + 1;
            out.write(ascii((ranged ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + first + "-" + last
                    + "/" + data.length + "\r\n" : "HTTP/1.1 200 OK\r\n") + "Content-Length: " + length
                    + "\r\nConnection: close\r\n\r\n"));
            byte[] body = Bytes.slice(data, first, length);
            switch (behaviour) {
                case "ok" -> out.write(body);
                case "cut" -> out.write(body, 0, (int) Math.min(n, length));
                case "reset" -> {
                    out.write(body, 0, (int) Math.min(n, length));
                    out.flush();
                    connection.setSoLinger(true, 0);
                }
                case "stall" -> {
                    out.write(body, 0, (int) Math.min(n, length));
                    out.flush();
                    stall();
                }
                case "wrong" -> {
                    if (n >= first && n <= last) {
                        body[(int) (n - first)] ^= 0x5a;
                    }
                    out.write(body);
                }
                default -> throw new IllegalStateException(behaviour);
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client sees what it sees
        } finally {
            open.remove(connection);
            try {
                connection.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    /** Holds the connection open until the server closes (or a minute passes). */
    private void stall() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!closed && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        for (Socket connection : open) {
            connection.close();
        }
        executor.shutdownNow();
    }
}
