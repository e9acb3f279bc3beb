/**
 * Leakproof's JUnit extension: annotate a test class with {@link dev.leakproof.DetectConnectionLeaks}
 * (or register a {@link dev.leakproof.ConnectionLeakDetector} built in code), and every test fails
 * when its connections leave something behind after they close. Three costlier checks run once per
 * class when their own annotation stands beside it: {@link dev.leakproof.RetainedSizeBudget},
 * {@link dev.leakproof.GrowthRun}, {@link dev.leakproof.StepLoad}. This package is the whole API,
 * each type with its {@code @API} status; the {@code dev.leakproof.internal} packages are the
 * implementation ({@code INTERNAL}) and may change in any release.
 *
 * <pre>{@code
 * @DetectConnectionLeaks(cycles = 1000)
 * class ChatServerLeakTests {
 *
 *     @ServerPipeline
 *     static ChannelInitializer<Channel> chatServer() {
 *         return new ChatServerInitializer(ChatServerConfig.defaults(), new ChatHub());
 *     }
 *
 *     @Test
 *     void connectionsLeaveNothingBehind() {
 *         // no connection of its own: 1000 cycles are driven through the pipeline after the test
 *     }
 * }
 * }</pre>
 */
package dev.leakproof;
