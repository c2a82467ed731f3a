package io.netty.channel;

/** The shape of Netty's ChannelFuture that the fixture needs (library code ships in apps). */
public interface ChannelFuture {
}
