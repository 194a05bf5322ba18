package io.multikube.server;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts ordinary requests in progress so a graceful shutdown can wait for them before closing connections.
 * Streams (watches, follows, upgrades) are not counted: they may last for hours and are closed at shutdown.
 */
final class InFlightRequests {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;

    void started() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    void finished() {
        lock.lock();
        try {
            count--;
            if (count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no request is in flight or the grace runs out; returns how many were still running. */
    int awaitIdle(Duration grace) throws InterruptedException {
        long remaining = grace.toNanos();
        lock.lock();
        try {
            while (count > 0 && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
            return count;
        } finally {
            lock.unlock();
        }
    }
}
