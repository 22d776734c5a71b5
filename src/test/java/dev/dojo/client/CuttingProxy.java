package dev.dojo.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of the service whose open connections can all be reset at once: a network
 * blip between a pipeline and Dojo, with the service itself untouched.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    CuttingProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "cutting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Resets every open connection, both sides; new ones are accepted as before. */
    void cutAll() throws IOException {
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException alreadyClosed) {
                // Ended by itself.
            }
        }
        open.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket service = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(service);
                pump(client, service);
                pump(service, client);
            } catch (IOException e) {
                // Closed, or the service refused: the client sees its connection end.
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Cut: the other pump ends too.
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // Already closed.
                }
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
