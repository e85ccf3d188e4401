package dev.hotpool.testsupport;

import dev.hotpool.RequestBody;

import java.io.IOException;
import java.io.OutputStream;

/** A request body of known length that says it cannot be replayed, as a stream read once would be. */
public final class OneShotBody {

    private OneShotBody() {
    }

    public static RequestBody of(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long contentLength() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }

            @Override
            public boolean repeatable() {
                return false;
            }
        };
    }
}
