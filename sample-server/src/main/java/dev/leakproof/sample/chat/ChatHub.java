package dev.leakproof.sample.chat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.EnumMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The shared state of one chat server: open sessions by connection and by name, rooms and their members, and
 * the number of admitted connections.
 *
 * <p>One hub serves every connection of a server, across all event loops, so it is thread-safe. The public
 * methods are read-only views for tests and leak checks; the server changes the hub through package-private
 * methods only.
 *
 * <pre>{@code
 * ChatHub hub = new ChatHub();
 * ServerBootstrap bootstrap = new ServerBootstrap()
 *     .childHandler(new ChatServerInitializer(ChatServerConfig.defaults(), hub));
 * // ... after every client has gone:
 * assertThat(hub.sessionCount()).isZero();
 * assertThat(hub.roomCount()).isZero();
 * }</pre>
 */
public final class ChatHub {
    // One lock for all maps: name uniqueness, room membership and session removal must change together, and
    // chat traffic is far too light for lock contention to matter.
    private final Object lock = new Object();
    private final Map<ChannelId, ChatSession> sessionsById = new HashMap<>();
    private final Map<String, ChatSession> sessionsByName = new HashMap<>();
    private final Map<String, Set<ChatSession>> rooms = new HashMap<>();
    // Separate from the sessions: a connection is counted from the moment it is admitted, before any session.
    private final AtomicInteger connections = new AtomicInteger();
    // Registered once per hub (by monitoring or tests), never per connection: a per-connection
    // listener here would be exactly the leak this project exists to catch.
    private final List<Consumer<ChatSession>> sessionListeners = new CopyOnWriteArrayList<>();
    // Filled once for every kind, then only read: no lock needed to count.
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);

    /**
     * What the server turned a client away for, answering {@code ERR ...}; counted by
     * {@link #refusals(Refusal)} for monitoring and tests.
     *
     * <pre>{@code
     * long full = hub.refusals(ChatHub.Refusal.SERVER_FULL);
     * }</pre>
     */
    public enum Refusal {
        /** A connection past the cap: answered {@code ERR server full} and closed. */
        SERVER_FULL,
        /** A line longer than the maximum: answered {@code ERR line too long}, and the connection closed. */
        LINE_TOO_LONG,
        /** A line that is not well-formed UTF-8: answered {@code ERR invalid UTF-8}; the connection stays. */
        INVALID_UTF8
    }

    /** Creates an empty hub. */
    public ChatHub() {
        for (Refusal kind : Refusal.values()) {
            refusals.put(kind, new LongAdder());
        }
    }

    /**
     * Returns how often the server refused a client for {@code kind} since this hub was made.
     *
     * @param kind what the client was refused for
     * @return the number of refusals of that kind
     */
    public long refusals(Refusal kind) {
        return refusals.get(kind).sum();
    }

    void refused(Refusal kind) {
        refusals.get(kind).increment();
    }

    /**
     * Calls {@code listener} with every session opened from now on, on the connection's event loop.
     * For monitoring and tests, e.g. to track each session for a leak check; register once per hub.
     *
     * @param listener called with each new session; must be quick and must not block
     */
    public void onSessionOpened(Consumer<ChatSession> listener) {
        sessionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Returns the number of open sessions, logged in or not.
     *
     * @return the number of sessions
     */
    public int sessionCount() {
        synchronized (lock) {
            return sessionsById.size();
        }
    }

    /**
     * Returns the number of rooms with at least one member; empty rooms are removed at once.
     *
     * @return the number of rooms
     */
    public int roomCount() {
        synchronized (lock) {
            return rooms.size();
        }
    }

    /**
     * Returns the names of a room's members.
     *
     * @param room the room name
     * @return the member names sorted, or an empty list if the room does not exist
     */
    public List<String> members(String room) {
        synchronized (lock) {
            Set<ChatSession> members = rooms.get(room);
            if (members == null) {
                return List.of();
            }
            return members.stream().map(ChatSession::nameOrNull).sorted().toList();
        }
    }

    /**
     * Returns the open sessions.
     *
     * @return a snapshot, oldest first
     */
    public List<ChatSession> sessions() {
        List<ChatSession> snapshot;
        synchronized (lock) {
            snapshot = new ArrayList<>(sessionsById.values());
        }
        snapshot.sort(Comparator.comparing(ChatSession::createdAt));
        return List.copyOf(snapshot);
    }

    /**
     * Returns the number of connections currently counted against the connection cap.
     *
     * @return the number of admitted connections that have not closed yet
     */
    public int connectionCount() {
        return connections.get();
    }

    @Override
    public String toString() {
        return "ChatHub[sessions=" + sessionCount() + ", rooms=" + roomCount()
                + ", connections=" + connectionCount() + "]";
    }

    boolean tryAdmitConnection(int maxConnections) {
        while (true) {
            int current = connections.get();
            if (current >= maxConnections) {
                return false;
            }
            if (connections.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releaseConnection() {
        int remaining = connections.decrementAndGet();
        if (remaining < 0) {
            // A negative count would silently raise the cap: fail loudly, the bug is in the caller.
            throw new IllegalStateException("connection count went negative: " + remaining);
        }
    }

    ChatSession open(Channel channel) {
        ChatSession session = new ChatSession(channel, Instant.now());
        synchronized (lock) {
            ChatSession previous = sessionsById.putIfAbsent(channel.id(), session);
            if (previous != null) {
                throw new IllegalStateException("channel " + channel.id() + " already has a session");
            }
        }
        for (Consumer<ChatSession> listener : sessionListeners) {
            listener.accept(session);
        }
        return session;
    }

    void close(ChatSession session) {
        synchronized (lock) {
            sessionsById.remove(session.channel().id(), session);
            String name = session.nameOrNull();
            if (name != null) {
                sessionsByName.remove(name, session);
            }
            for (String room : session.mutableRooms()) {
                removeMember(room, session);
            }
            session.mutableRooms().clear();
        }
    }

    LoginResult login(ChatSession session, String name) {
        synchronized (lock) {
            if (!isOpen(session)) {
                return LoginResult.CLOSED;
            }
            if (session.nameOrNull() != null) {
                return LoginResult.ALREADY_LOGGED_IN;
            }
            if (sessionsByName.putIfAbsent(name, session) != null) {
                return LoginResult.NAME_TAKEN;
            }
            session.setName(name);
            return LoginResult.OK;
        }
    }

    boolean join(ChatSession session, String room) {
        synchronized (lock) {
            // A closed session must not re-enter a room: nothing would ever remove it again.
            if (!isOpen(session) || session.nameOrNull() == null) {
                return false;
            }
            rooms.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(session);
            session.mutableRooms().add(room);
            return true;
        }
    }

    boolean leave(ChatSession session, String room) {
        synchronized (lock) {
            if (!session.mutableRooms().remove(room)) {
                return false;
            }
            removeMember(room, session);
            return true;
        }
    }

    /**
     * Returns who receives a message the sender publishes to a room, sender included, or {@code null} if the
     * sender is not a member.
     */
    List<ChatSession> recipients(ChatSession sender, String room) {
        synchronized (lock) {
            Set<ChatSession> members = rooms.get(room);
            if (members == null || !members.contains(sender)) {
                return null;
            }
            return List.copyOf(members);
        }
    }

    private boolean isOpen(ChatSession session) {
        return sessionsById.get(session.channel().id()) == session;
    }

    private void removeMember(String room, ChatSession session) {
        Set<ChatSession> members = rooms.get(room);
        if (members != null && members.remove(session) && members.isEmpty()) {
            rooms.remove(room);
        }
    }

    enum LoginResult {
        OK,
        NAME_TAKEN,
        ALREADY_LOGGED_IN,
        CLOSED
    }
}
