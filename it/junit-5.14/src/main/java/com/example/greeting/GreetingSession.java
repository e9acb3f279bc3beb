package com.example.greeting;

import io.netty.channel.Channel;

/** What the server knows about one client: its name, once it said HELLO. */
public final class GreetingSession {

    private final Channel channel;
    private volatile String name = "anonymous";

    public GreetingSession(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }
}
