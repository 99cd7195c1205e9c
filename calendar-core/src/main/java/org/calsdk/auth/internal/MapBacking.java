package org.calsdk.auth.internal;

import java.util.Map;

/** Records in a map the host application owns (it may persist the map itself). */
public final class MapBacking implements RecordBacking {
    private final Map<String, byte[]> records;

    public MapBacking(Map<String, byte[]> records) {
        this.records = records;
    }

    @Override
    public byte[] get(String name) {
        synchronized (records) {
            byte[] r = records.get(name);
            return r == null ? null : r.clone();
        }
    }

    @Override
    public void put(String name, byte[] record) {
        synchronized (records) {
            records.put(name, record.clone());
        }
    }

    @Override
    public boolean remove(String name) {
        synchronized (records) {
            return records.remove(name) != null;
        }
    }
}
