package io.kvorum.node.paxos;

import io.kvorum.node.quorum.ReadRepairPlanner;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.paxos.CommitMark;
import io.kvorum.storage.paxos.PaxosCodec.Promise;
import io.kvorum.storage.paxos.Proposal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a quorum of promises says, computed without I/O, and what the proposer must do next.
 *
 * <ul>
 *   <li>{@code mostRecentCommit}: the newest commit any promise reported;
 *   <li>{@code inProgress}: the accepted proposal with the highest ballot, when that ballot is above
 *       the most recent commit: it may have been chosen, so it must be completed before anything
 *       else (Cassandra's {@code beginAndRepairPaxos}). An empty one (a fence) needs nothing;
 *   <li>{@code missingCommit}: promisers whose most recent commit is older than the newest: they
 *       get the commit before a new value is proposed, so a quorum has learnt it;
 *   <li>{@code current}: the merge of the promisers' records of the key, the quorum read;
 *   <li>{@code recentCommits}: the union of the promisers' marks of recent commits (every commit
 *       before the newest was learnt by a quorum before the next was decided, so the union holds
 *       each of the last commits that is still in some promiser's window).
 * </ul>
 */
public record PrepareSummary(Optional<Proposal> mostRecentCommit, Optional<Proposal> inProgress,
                             List<String> missingCommit, Optional<KeyRecord> current,
                             Set<CommitMark> recentCommits) {

    public enum Next {
        /** An accepted, uncommitted, non-empty proposal: propose it again with our ballot and commit it. */
        COMPLETE_IN_PROGRESS,
        /** Some promisers have not learnt the most recent commit: send it to them. */
        SEND_COMMIT,
        /** The read is current: evaluate the condition and propose. */
        READY
    }

    public PrepareSummary {
        missingCommit = List.copyOf(missingCommit);
        recentCommits = Set.copyOf(recentCommits);
    }

    public static PrepareSummary of(Map<String, Promise> promises) {
        Optional<Proposal> mrc = Optional.empty();
        Optional<Proposal> accepted = Optional.empty();
        for (Promise p : promises.values()) {
            Optional<Proposal> c = p.reply().mostRecentCommit();
            if (c.isPresent() && (mrc.isEmpty() || c.get().isAfter(mrc.get()))) {
                mrc = c;
            }
            Optional<Proposal> a = p.reply().accepted();
            if (a.isPresent() && (accepted.isEmpty() || a.get().isAfter(accepted.get()))) {
                accepted = a;
            }
        }
        Optional<Proposal> newestCommit = mrc;
        Optional<Proposal> inProgress = accepted.filter(a -> newestCommit.map(a::isAfter).orElse(true));
        List<String> missing = newestCommit.isEmpty() ? List.of() : promises.entrySet().stream()
                .filter(e -> e.getValue().reply().mostRecentCommit()
                        .map(c -> newestCommit.get().isAfter(c)).orElse(true))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        Optional<KeyRecord> current = ReadRepairPlanner.merge(promises.values().stream().map(Promise::current).toList());
        Set<CommitMark> marks = new HashSet<>();
        promises.values().forEach(p -> marks.addAll(p.reply().recentCommits()));
        newestCommit.ifPresent(c -> marks.add(CommitMark.of(c)));
        return new PrepareSummary(mrc, inProgress, missing, current, marks);
    }

    public Next next() {
        if (inProgress.isPresent() && !inProgress.get().isEmpty()) {
            return Next.COMPLETE_IN_PROGRESS;
        }
        if (!missingCommit.isEmpty()) {
            return Next.SEND_COMMIT;
        }
        return Next.READY;
    }
}
