package dev.hotpool;

import java.io.IOException;

/**
 * Base of the exceptions hotpool raises. An {@link IOException}, so Spring's {@code RestClient} and
 * {@code RestTemplate} report it as a {@code ResourceAccessException} with this message.
 *
 * <p>Messages start with {@code hotpool:} and name the origin; they are API (tests assert them).
 */
public class HotPoolException extends IOException {

    private static final long serialVersionUID = 1L;

    public HotPoolException(String message) {
        super(message);
    }

    public HotPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
