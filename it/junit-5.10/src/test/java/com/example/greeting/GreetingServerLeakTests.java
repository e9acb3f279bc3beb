package com.example.greeting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.Test;

/** The fixed server: every session leaves {@link OnlineUsers} when its connection closes. Must pass. */
@DetectConnectionLeaks(cycles = 100, concurrency = 4)
class GreetingServerLeakTests {

    static final OnlineUsers ONLINE = new OnlineUsers();

    @ServerPipeline // your pipeline, hosted behind the fixture's SslHandler
    static ChannelInitializer<Channel> greetingServer(LeakTracker tracker) {
        // your own per-connection objects must be collected too
        ONLINE.onSessionOpened(session -> tracker.track(session.channel(), session, "GreetingSession"));
        return new GreetingServerInitializer(ONLINE, true);
    }

    @Test
    void helloAndLeave(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.send("HELLO user" + c.cycle());
            c.expectLinePrefix("WELCOME user" + c.cycle());
        });
        assertEquals(0, stats.failures());
    }
}
