package io.kvorum.storage;

import java.io.File;
import java.nio.ByteBuffer;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * A volume that passes every call to another; subclasses override what they change
 * ({@link MappedStoreVolume}) or observe (tests).
 */
class ForwardingVolume extends Volume {
    private final Volume delegate;

    ForwardingVolume(Volume delegate) {
        this.delegate = delegate;
    }

    @Override
    public void ensureAvailable(long offset) {
        delegate.ensureAvailable(offset);
    }

    @Override
    public void truncate(long size) {
        delegate.truncate(size);
    }

    @Override
    public void putLong(long offset, long value) {
        delegate.putLong(offset, value);
    }

    @Override
    public void putInt(long offset, int value) {
        delegate.putInt(offset, value);
    }

    @Override
    public void putByte(long offset, byte value) {
        delegate.putByte(offset, value);
    }

    @Override
    public void putData(long offset, byte[] src, int srcPos, int srcSize) {
        delegate.putData(offset, src, srcPos, srcSize);
    }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        delegate.putData(offset, buf);
    }

    @Override
    public long getLong(long offset) {
        return delegate.getLong(offset);
    }

    @Override
    public int getInt(long offset) {
        return delegate.getInt(offset);
    }

    @Override
    public byte getByte(long offset) {
        return delegate.getByte(offset);
    }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        return delegate.getDataInput(offset, size);
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        delegate.getData(offset, bytes, bytesPos, size);
    }

    @Override
    public long getSixLong(long offset) {
        return delegate.getSixLong(offset);
    }

    @Override
    public long getPackedLong(long offset) {
        return delegate.getPackedLong(offset);
    }

    @Override
    public int getUnsignedShort(long offset) {
        return delegate.getUnsignedShort(offset);
    }

    @Override
    public int getUnsignedByte(long offset) {
        return delegate.getUnsignedByte(offset);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public int sliceSize() {
        return delegate.sliceSize();
    }

    @Override
    public boolean isSliced() {
        return delegate.isSliced();
    }

    @Override
    public long length() {
        return delegate.length();
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public File getFile() {
        return delegate.getFile();
    }

    @Override
    public boolean getFileLocked() {
        return delegate.getFileLocked();
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        delegate.clear(startOffset, endOffset);
    }
}
