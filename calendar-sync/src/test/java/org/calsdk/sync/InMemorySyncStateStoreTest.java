package org.calsdk.sync;

class InMemorySyncStateStoreTest extends SyncStateStoreContract {
    @Override
    SyncStateStore newStore() {
        return new InMemorySyncStateStore();
    }
}
