package io.kvorum.storage.paxos;

/**
 * A trace of one commit in an acceptor's recent history: the hash of the committed update
 * ({@link Proposal#hashOf}) and the {@code after} of its proposal (the hash of the commit it was
 * decided after). Lets a proposer whose proposal reached only some acceptors learn whether it was
 * committed, or beaten by the commit that directly followed the one it read.
 */
public record CommitMark(long hash, long after) {
    public static CommitMark of(Proposal committed) {
        return new CommitMark(Proposal.hashOf(committed.update().orElseThrow()), committed.after());
    }
}
