/**
 * Hosting the user's server pipeline inside the fixture server: the {@code @ServerPipeline}
 * method (checked once, its shape errors reported as configuration errors), the builder's
 * pipeline, and the switchable initializer the fixture runs per connection. Uses the public API
 * and Netty only.
 */
package dev.leakproof.internal.pipeline;
