package io.kvorum.storage;

import io.kvorum.storage.paxos.PaxosStore;

class PaxosStoreInMemoryTest extends PaxosStoreContract {
    @Override
    protected PaxosStore newStore() {
        return new InMemoryPaxosStore();
    }
}
