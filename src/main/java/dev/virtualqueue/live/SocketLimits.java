package dev.virtualqueue.live;

/**
 * How much a live socket may fall behind: at most {@code maxQueuedBytes} written but not yet taken
 * by the client before the socket counts as full (then only the newest message is kept), and at
 * most {@code slowMillis} spent full before it is closed with 1013.
 */
record SocketLimits(int maxQueuedBytes, long slowMillis) {
}
