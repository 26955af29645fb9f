package io.kvorum.node.quorum;

import io.kvorum.storage.KeyRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, without I/O, which replicas need the merged value after a read: every replica that
 * answered with nothing, or with a record that differs from the merge (the merge always descends
 * each reply, so "differs" means "older or missing something").
 */
public final class ReadRepairPlanner {
    private ReadRepairPlanner() {
    }

    public static Optional<KeyRecord> merge(Iterable<Optional<KeyRecord>> replies) {
        KeyRecord merged = null;
        for (Optional<KeyRecord> r : replies) {
            if (r.isPresent()) {
                merged = merged == null ? r.get() : merged.merge(r.get());
            }
        }
        return Optional.ofNullable(merged);
    }

    public static List<String> staleReplicas(Optional<KeyRecord> merged, Map<String, Optional<KeyRecord>> replies) {
        List<String> stale = new ArrayList<>();
        if (merged.isEmpty()) {
            return stale;
        }
        replies.forEach((node, reply) -> {
            if (reply.isEmpty() || !reply.get().equals(merged.get())) {
                stale.add(node);
            }
        });
        stale.sort(null);
        return stale;
    }
}
