package dev.leakproof.examples.facade;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A library's process-wide list of clean-up actions, run on JVM exit: the kind of global hook that
 * outlives whatever registers with it.
 *
 * <pre>{@code
 * Runnable hook = connection::closeQuietly;
 * ExitHooks.register(hook);
 * ExitHooks.unregister(hook);
 * }</pre>
 */
public final class ExitHooks {

    private static final List<Runnable> HOOKS = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> HOOKS.forEach(Runnable::run), "exit-hooks"));
    }

    private ExitHooks() {
    }

    public static void register(Runnable hook) {
        HOOKS.add(hook);
    }

    public static void unregister(Runnable hook) {
        HOOKS.remove(hook);
    }

    /** Drops every hook, for a test that leaks on purpose: the next run in this JVM starts clean. */
    static void forgetAll() {
        HOOKS.clear();
    }
}
