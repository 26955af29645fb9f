package io.kvorum.storage;

import io.kvorum.ring.HlcTimestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A small simulated cluster for the DVV properties: three replicas ("a", "b", "c"), each owning
 * its dots, receiving client writes (with a context a client could really hold: one read earlier,
 * or the join of what some replicas hold now, or nothing) and syncing with each other. Every
 * replica state ever reached is kept, so that properties can combine states of one history,
 * where dots are unique as they are in a real cluster.
 */
final class DvvWorld {
    static final List<String> NODES = List.of("a", "b", "c");

    /** One step: a client write at replica {@code i}, or replica {@code i} syncing from {@code j}. */
    record Action(boolean write, int i, int j, int contextPick, int replicaMask, boolean tombstone) {
    }

    final DvvSet[] replicas = {DvvSet.empty(), DvvSet.empty(), DvvSet.empty()};
    final List<DvvSet> history = new ArrayList<>();
    final List<VersionVector> observedContexts = new ArrayList<>(List.of(VersionVector.empty()));
    private int sequence;

    static Arbitrary<Action> actions() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 9).map(n -> n < 6),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 9).map(n -> n == 0))
                .as(Action::new);
    }

    static Arbitrary<DvvWorld> worlds() {
        return actions().list().ofMaxSize(40).map(DvvWorld::run);
    }

    static DvvWorld run(List<Action> actions) {
        DvvWorld world = new DvvWorld();
        actions.forEach(world::apply);
        return world;
    }

    void apply(Action action) {
        if (action.write()) {
            VersionVector context = contextFor(action);
            replicas[action.i()] = replicas[action.i()].update(context, nextSibling(action), NODES.get(action.i()));
        } else {
            replicas[action.i()] = replicas[action.i()].sync(replicas[action.j()]);
        }
        history.add(replicas[action.i()]);
        observedContexts.add(replicas[action.j()].context()); // a client reads replica j
    }

    /** A context a client could hold: the join of some replicas now, or one it read earlier. */
    private VersionVector contextFor(Action action) {
        if (action.replicaMask() == 0) {
            return observedContexts.get(action.contextPick() % observedContexts.size());
        }
        VersionVector context = VersionVector.empty();
        for (int r = 0; r < 3; r++) {
            if ((action.replicaMask() & (1 << r)) != 0) {
                context = context.merge(replicas[r].context());
            }
        }
        return context;
    }

    Sibling nextSibling(Action action) {
        int n = ++sequence;
        HlcTimestamp stamp = new HlcTimestamp(1_000 + n, n % 3, NODES.get(action.i()));
        return action.tombstone()
                ? Sibling.tombstone(stamp)
                : Sibling.of(("v" + n).getBytes(StandardCharsets.UTF_8), "text/plain", stamp);
    }

    /** A state of this history: the replicas now, or any state reached earlier. */
    DvvSet state(int pick) {
        int total = 3 + history.size();
        int index = Math.floorMod(pick, total);
        return index < 3 ? replicas[index] : history.get(index - 3);
    }

    DvvSet merged() {
        return replicas[0].sync(replicas[1]).sync(replicas[2]);
    }

    static Sibling value(String text, String node) {
        return Sibling.of(text.getBytes(StandardCharsets.UTF_8), "text/plain", new HlcTimestamp(9_999, 0, node));
    }

    @Override
    public String toString() {
        return "DvvWorld[a=" + replicas[0] + ", b=" + replicas[1] + ", c=" + replicas[2] + "]";
    }
}
