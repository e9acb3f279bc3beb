package dev.leakproof;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks the method that supplies the server pipeline under test, hosted by the fixture server
 * behind its own SslHandler. Exactly one such method per test class (static or instance, any
 * visibility) that returns either
 * <ul>
 *   <li>a {@code io.netty.channel.ChannelInitializer<Channel>} that builds the whole plain-text
 *       pipeline of a connection, or</li>
 *   <li>a {@code io.netty.channel.ChannelHandler}: the method is then called once per connection,
 *       and must return a new handler each time unless the handler is {@code @Sharable},</li>
 * </ul>
 * and takes no parameters or a single {@link LeakTracker} (to register your own per-connection
 * objects, such as session objects, for the leak check). Without such a method, the fixture's
 * built-in line echo is hosted.
 *
 * <pre>{@code
 * @ServerPipeline
 * ChannelInitializer<Channel> pipeline(LeakTracker tracker) {
 *     return new ChannelInitializer<>() {
 *         protected void initChannel(Channel ch) {
 *             ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new MySessionHandler(tracker));
 *         }
 *     };
 * }
 * }</pre>
 *
 * <p>A method with another return type or other parameters fails the test class with an
 * {@code ExtensionConfigurationException} that names it.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ServerPipeline {
}
