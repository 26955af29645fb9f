package io.kvorum.storage;

/** {@link MapDbStorageEngineTest}, the contract included, over file channel I/O. */
class MapDbStorageEngineChannelTest extends MapDbStorageEngineTest {
    @Override
    protected StoreIo io() {
        return StoreIo.CHANNEL;
    }
}
