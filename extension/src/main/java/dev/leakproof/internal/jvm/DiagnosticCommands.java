package dev.leakproof.internal.jvm;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apiguardian.api.API;

/**
 * Runs one of HotSpot's diagnostic commands in this JVM through the DiagnosticCommand MBean, as
 * {@code jcmd <pid> <command>} would, without a second process. The operation is the command's
 * MBean name: {@code GC.run} is {@code gcRun}, {@code GC.class_histogram} is
 * {@code gcClassHistogram}, {@code VM.stringtable} is {@code vmStringtable}.
 *
 * <pre>{@code
 * String histogram = DiagnosticCommands.run("gcClassHistogram");
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class DiagnosticCommands {

    private static final String MBEAN = "com.sun.management:type=DiagnosticCommand";

    private DiagnosticCommands() {
    }

    /**
     * The command's output, with no arguments.
     *
     * @throws JMException where this JVM has no such MBean or command (not HotSpot), or it failed
     */
    public static String run(String operation) throws JMException {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(MBEAN), operation,
                new Object[] {null}, new String[] {String[].class.getName()});
    }
}
