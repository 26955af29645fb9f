package io.kvorum.node.http;

import io.kvorum.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiErrorTest {

    @Test
    void aStorageFailureIsA503WhateverWrapsIt() {
        StorageException failed = new StorageException("storage commit failed: disk full", new IOException("No space left on device"));
        assertSame(failed, ApiError.storageCause(failed).orElseThrow());
        assertSame(failed, ApiError.storageCause(new CompletionException(new RuntimeException(failed))).orElseThrow());
        assertEquals(Optional.empty(), ApiError.storageCause(new IllegalStateException("closed", new IOException("x"))));
        assertEquals(Optional.empty(), ApiError.storageCause(null));

        ApiError e = ApiError.storageFailed(failed);
        assertEquals(503, e.status());
        assertEquals("Service Unavailable", e.title());
        assertTrue(e.detail().contains("refuses work until the node is restarted")
                && e.detail().contains("storage commit failed: disk full"), e.detail());
    }
}
