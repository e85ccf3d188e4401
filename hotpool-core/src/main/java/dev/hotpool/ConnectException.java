package dev.hotpool;

/** No TCP connection could be opened to any address of an origin within the connect timeout. */
public class ConnectException extends HotPoolException {

    private static final long serialVersionUID = 1L;

    public ConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
