package dev.hotpool.internal.http;

import java.io.InputStream;

/**
 * A response body that holds a lease (a connection, or a stream of one) and gives it back by itself: the HTTP/1.1
 * {@link ResponseBody} and the HTTP/2 {@link Http2Body}. What a {@link DecodedBody} needs of the body under it.
 */
abstract class LeasedBody extends InputStream {

    /**
     * Keeps the lease when the message ends until {@link #close()} (or {@link #abandon()}): for a decoded body, whose
     * lease must not go back before its decoder has found the bytes sound.
     */
    abstract void holdUntilClose();

    /** Gives up on the message (its decoded form was corrupt): what carried it is not trusted again. */
    abstract void abandon();
}
