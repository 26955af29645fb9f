package io.kvorum.ring;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * This node's immutable, local opinion of who is up, and since when. It decides where a
 * coordinator sends work, never what is correct. Ids it has never heard of are DOWN.
 *
 * @param statuses    status by node id
 * @param sinceMillis when each status began, by node id (same keys as {@code statuses})
 */
public record LivenessView(Map<String, NodeStatus> statuses, Map<String, Long> sinceMillis) {

    public LivenessView {
        Objects.requireNonNull(statuses, "statuses");
        Objects.requireNonNull(sinceMillis, "sinceMillis");
        if (!statuses.keySet().equals(sinceMillis.keySet())) {
            throw new IllegalArgumentException("statuses and sinceMillis must have the same ids: "
                    + statuses.keySet() + " vs " + sinceMillis.keySet());
        }
        statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
        sinceMillis = Collections.unmodifiableMap(new TreeMap<>(sinceMillis));
        if (statuses.containsValue(null) || sinceMillis.containsValue(null)) {
            throw new IllegalArgumentException("null status or since in " + statuses + " / " + sinceMillis);
        }
    }

    /** Every id UP since {@code now}. */
    public static LivenessView allUp(Collection<String> ids, long now) {
        Map<String, NodeStatus> statuses = new TreeMap<>();
        Map<String, Long> since = new TreeMap<>();
        for (String id : ids) {
            statuses.put(Objects.requireNonNull(id, "id"), NodeStatus.UP);
            since.put(id, now);
        }
        return new LivenessView(statuses, since);
    }

    /**
     * The view with {@code id} in {@code status} since {@code now}; returns {@code this} when
     * {@code id} is already known in that status, so its {@code since} is kept.
     */
    public LivenessView withStatus(String id, NodeStatus status, long now) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        if (statuses.get(id) == status) {
            return this;
        }
        Map<String, NodeStatus> s = new TreeMap<>(statuses);
        Map<String, Long> t = new TreeMap<>(sinceMillis);
        s.put(id, status);
        t.put(id, now);
        return new LivenessView(s, t);
    }

    /** Whether {@code id} is believed UP; unknown ids are not. */
    public boolean isUp(String id) {
        return status(id) == NodeStatus.UP;
    }

    /** The status of {@code id}; {@link NodeStatus#DOWN} if unknown. */
    public NodeStatus status(String id) {
        return statuses.getOrDefault(id, NodeStatus.DOWN);
    }

    /** Since when {@code id} has had its status; {@code 0} (the epoch) for unknown ids. */
    public long since(String id) {
        return sinceMillis.getOrDefault(id, 0L);
    }

    /** The ids currently believed UP, sorted. */
    public Set<String> upIds() {
        Set<String> up = new TreeSet<>();
        statuses.forEach((id, st) -> {
            if (st == NodeStatus.UP) {
                up.add(id);
            }
        });
        return Collections.unmodifiableSet(up);
    }
}
