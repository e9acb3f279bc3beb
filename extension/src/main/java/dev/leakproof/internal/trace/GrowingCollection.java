package dev.leakproof.internal.trace;

import dev.leakproof.internal.text.ClassNames;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The collection the objects of a signature are entries of (or hang off an entry of): what a
 * failure leads with, because it is what gains an entry per connection or repetition.
 *
 * <pre>{@code
 * String field = collection.fieldName(); // "AcmeCore.closeHooks"
 * }</pre>
 *
 * @param way the path from the root to the collection, as one line
 * @param collectionClass the collection's class ({@code java.util.ArrayList}, {@code java.lang.Object[]})
 * @param ownerClass the class declaring the field that holds it (full name); empty when no field does
 * @param field that field's name; empty when none
 * @param staticField whether that field is static
 * @param keeper the nearest class on the way that is not the JDK's: whose code keeps the
 *     collection (for an executor's queue, the class holding the executor); empty if none
 * @param entries entries it holds now, read in the dump; -1 when its kind is not known
 * @param entriesSeen distinct entries the traced objects sit in
 * @param entryClass the class of its entries (the object each entry holds)
 * @param held the traced objects by class: what hangs off the entries, most first
 * @param keys a few of its keys, when a map's keys are strings
 * @param keyCount distinct keys seen
 * @param objects traced objects through it
 * @param threads the threads of the executor whose queue it is, or the thread at the root
 * @param openChannels channels among the traced objects that were never closed
 * @param closedChannels channels among them that were closed
 * @param rootReference the static field at the root, {@code com.example.MyTests#core}; empty if none
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record GrowingCollection(String way, String collectionClass, String ownerClass, String field,
        boolean staticField, String keeper, long entries, int entriesSeen, String entryClass, Map<String, Integer> held,
        List<String> keys, int keyCount, int objects, List<String> threads, int openChannels, int closedChannels,
        String rootReference) {

    /** The field as a person reads it: {@code AcmeCore.closeHooks}; empty when no field holds it. */
    public String fieldName() {
        return field.isEmpty() ? "" : ClassNames.readable(ownerClass) + "." + field;
    }
}
