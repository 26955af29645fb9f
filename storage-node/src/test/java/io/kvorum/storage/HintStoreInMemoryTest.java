package io.kvorum.storage;

import java.util.concurrent.CompletableFuture;

class HintStoreInMemoryTest extends HintStoreContract {
    @Override
    protected HintStore newStore(long maxHints) {
        return new InMemoryHintStore(maxHints, EXPIRE_STEP);
    }

    @Override
    protected CompletableFuture<Void> runOnStoreThread(Runnable action) {
        return ((InMemoryHintStore) store).runOnStoreThread(action);
    }
}
