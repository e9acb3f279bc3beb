package com.example.lib;

import java.util.ArrayList;
import java.util.List;

/**
 * A library's long-lived core object (like a framework's runtime a test creates once): it keeps a
 * close registry of what it created, to close it all on its own shutdown. {@link #createClient()}
 * registers each client; a client that forgets to unregister on close stays in the registry.
 */
public final class Core implements AutoCloseable {

    private final List<AutoCloseable> closeHooks = new ArrayList<>();
    private final boolean unregisterOnClose;

    public Core(boolean unregisterOnClose) {
        this.unregisterOnClose = unregisterOnClose;
    }

    public synchronized Client createClient() {
        Client client = new Client(this);
        closeHooks.add(client);
        return client;
    }

    synchronized void closed(Client client) {
        if (unregisterOnClose) {
            closeHooks.remove(client);
        }
    }

    @Override
    public synchronized void close() {
        closeHooks.clear();
    }

    /** A client of the library: a buffer and a per-client cache hang off it. */
    public static final class Client implements AutoCloseable {
        private final Core core;
        private final byte[] buffer = new byte[128];
        private final java.util.Map<String, String> cache = new java.util.HashMap<>();

        Client(Core core) {
            this.core = core;
        }

        public int request(String what) {
            cache.put(what, what);
            return buffer.length + cache.size();
        }

        @Override
        public void close() {
            core.closed(this);
        }
    }
}
