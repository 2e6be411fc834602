package dev.stowage.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A server on a bare socket, for byte-level misbehaviour: bodies cut short, stalls, broken headers. Each connection
 * serves one request; the responder writes whatever bytes it likes and the connection is closed afterwards.
 */
final class RawServer implements AutoCloseable {
    /** Writes the answer to one request. */
    interface Responder {
        void respond(String requestHead, OutputStream out) throws Exception;
    }

    private final ServerSocket socket;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    RawServer(Responder responder) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        executor.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    executor.execute(() -> serve(connection, responder));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void serve(Socket connection, Responder responder) {
        try (connection) {
            String head = readHead(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            responder.respond(head, out);
            out.flush();
        } catch (Exception e) {
            // the test sees what the client saw
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

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        executor.shutdownNow();
    }
}
