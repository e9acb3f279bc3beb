package org.netbeans.insane.hook;

import java.lang.reflect.AccessibleObject;

/**
 * A shim for the one class the org-netbeans-insane RELEASE230 jar on Maven Central calls but does not
 * contain (NetBeans ships it in a separate hook jar): without it, {@code NbTestCase.assertGC}'s leaky
 * path ends in {@code NoClassDefFoundError} instead of a message. It makes a field readable where the
 * module system allows it, and lets the scan skip it (the JDK's exception) where it does not, as
 * {@code --add-opens} would decide for the real hook.
 *
 * <pre>{@code
 * MakeAccessible.setAccessible(field, true);
 * }</pre>
 */
public final class MakeAccessible {

    private MakeAccessible() {
    }

    public static void setAccessible(AccessibleObject object, boolean flag) {
        object.setAccessible(flag);
    }
}
