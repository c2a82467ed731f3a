package io.netty.bootstrap;

import io.netty.channel.ChannelFuture;
import java.net.SocketAddress;

/** The bind overloads of Netty's ServerBootstrap, as an app ships the library. */
public class ServerBootstrap {
    public ChannelFuture bind(int port) {
        return null;
    }

    public ChannelFuture bind(SocketAddress address) {
        return null;
    }
}
