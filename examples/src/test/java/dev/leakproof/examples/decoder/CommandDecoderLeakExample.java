package dev.leakproof.examples.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ServerPipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A decoder that never releases the buffers it consumes: nothing survives on the heap, but Netty's
 * ResourceLeakDetector (PARANOID while Leakproof runs) reports the unreleased ByteBufs, and
 * Leakproof fails this test with
 * {@code ... Netty leaks reported by ResourceLeakDetector: ByteBuf.release() was not called ...}.
 * {@link CommandDecoderFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(CommandDecoderLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class CommandDecoderLeakExample {

    @ServerPipeline
    static ChannelInitializer<Channel> commandServer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new CommandDecoder(),
                        new StringEncoder(StandardCharsets.UTF_8), new CommandHandler());
            }
        };
    }

    @Test
    void clientsEchoAFewLines(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            for (int i = 0; i < 3; i++) {
                c.send("ECHO hello " + i);
                c.expectLine("hello " + i);
            }
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
