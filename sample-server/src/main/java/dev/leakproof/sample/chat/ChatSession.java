package dev.leakproof.sample.chat;

import io.netty.channel.Channel;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one client connection: its channel, when it connected, its name once logged in and the rooms it
 * has joined.
 *
 * <p>Sessions are created and dropped by the server only: one per admitted connection, registered in the
 * {@link ChatHub} while the connection is open and removed from it (and from every room) when it closes. Once
 * removed, nothing in the server refers to a session any more, which is what a leak test checks:
 *
 * <pre>{@code
 * List<WeakReference<ChatSession>> refs = server.hub().sessions().stream()
 *     .map(WeakReference::new)
 *     .toList();
 * // close the clients, wait until server.hub().sessionCount() == 0, force a GC:
 * assertThat(refs).allSatisfy(ref -> assertThat(ref.get()).isNull());
 * }</pre>
 *
 * <p>Thread-safe to read from any thread; only the {@link ChatHub} changes it.
 */
public final class ChatSession {
    private final Channel channel;
    private final Instant createdAt;
    // Written under the hub's lock, read without it: volatile and a concurrent set keep readers consistent.
    private volatile String name;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();

    ChatSession(Channel channel, Instant createdAt) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Returns the connection this session belongs to.
     *
     * @return the server-side channel
     */
    public Channel channel() {
        return channel;
    }

    /**
     * Returns when the connection was admitted.
     *
     * @return the creation time
     */
    public Instant createdAt() {
        return createdAt;
    }

    /**
     * Returns the name the client logged in with.
     *
     * @return the name, or empty before {@code LOGIN} succeeded
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * Returns the rooms this session is a member of.
     *
     * @return a sorted snapshot; later joins and leaves do not change it
     */
    public SortedSet<String> rooms() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(rooms));
    }

    String nameOrNull() {
        return name;
    }

    void setName(String name) {
        this.name = name;
    }

    Set<String> mutableRooms() {
        return rooms;
    }

    @Override
    public String toString() {
        return "ChatSession[" + channel.id().asShortText() + ", name=" + name + ", rooms=" + rooms() + "]";
    }
}
