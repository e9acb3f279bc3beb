/**
 * ACME client 2.3.1, a small client library in the style of Vert.x, made up for Leakproof's
 * examples: one long-lived {@link com.acme.client.AcmeCore} per application (its event loops and
 * its close hooks) and the TLS line clients it creates.
 *
 * <pre>{@code
 * AcmeCore core = AcmeCore.create();
 * try (AcmeClient quotes = core.createClient(new AcmeClientOptions().setHost("quotes.internal").setPort(7000))) {
 *     String price = quotes.ask("QUOTE ACME");
 * }
 * core.close(); // at shutdown
 * }</pre>
 *
 * <p>This version has a bug: {@link com.acme.client.AcmeClient#close()} closes the connection but
 * leaves the client in its core's close hooks, so a core that lives as long as the application keeps
 * every client it ever created.
 */
package com.acme.client;
