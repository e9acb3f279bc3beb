package com.example.greeting;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Everyone connected, for the "who is online" count; sessions are added on connect. */
public final class OnlineUsers {

    private final Set<GreetingSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile Consumer<GreetingSession> onOpened = session -> { };

    /** Called with each new session: tests use it to track sessions for the leak check. */
    public void onSessionOpened(Consumer<GreetingSession> listener) {
        this.onOpened = listener;
    }

    void add(GreetingSession session) {
        sessions.add(session);
        onOpened.accept(session);
    }

    void remove(GreetingSession session) {
        sessions.remove(session);
    }

    public int count() {
        return sessions.size();
    }
}
