package io.kvorum.storage;

class InMemoryStorageEngineTest extends StorageEngineContract {
    @Override
    protected StorageEngine newEngine() {
        return new InMemoryStorageEngine();
    }
}
