package dev.hotpool;

import java.util.Objects;

/**
 * One header field, as sent or received. Immutable.
 *
 * @param name the field name, as the caller or server spelt it
 * @param value the field value; {@code null} is taken as empty (the header is sent with no value, as Spring's other
 *     request factories send it)
 */
public record Header(String name, String value) {

    public Header {
        Objects.requireNonNull(name, "'name' must not be null");
        value = (value != null) ? value : "";
    }

    /** Whether this header's name is {@code other}, ignoring case. */
    public boolean is(String other) {
        return this.name.equalsIgnoreCase(other);
    }
}
