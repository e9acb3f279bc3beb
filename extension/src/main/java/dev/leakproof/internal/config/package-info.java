/**
 * Configuration: the settings table ({@link dev.leakproof.internal.config.Settings}, each setting
 * declared once), where values come from (annotation or builder, configuration parameter,
 * default) and how they are checked. Fails fast with {@code ExtensionConfigurationException}
 * naming the key and the value. Uses only the public API's annotation and the fixture's value
 * types; nothing of the checks.
 */
package dev.leakproof.internal.config;
