package org.calsdk.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections have TCP_NODELAY set: MockWebServer writes headers and body
 * separately, and with Nagle's algorithm plus the client's delayed ACK every answer would wait ~40 ms.
 * Not public API.
 */
public final class NoDelayServerSocketFactory extends ServerSocketFactory {

    private static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = super.accept();
            s.setTcpNoDelay(true);
            return s;
        }
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s = createServerSocket();
        s.bind(new java.net.InetSocketAddress(port));
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        ServerSocket s = createServerSocket();
        s.bind(new java.net.InetSocketAddress(port), backlog);
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket s = createServerSocket();
        s.bind(new java.net.InetSocketAddress(address, port), backlog);
        return s;
    }
}
