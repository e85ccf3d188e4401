package dev.hotpool.internal.http2;

import dev.hotpool.internal.http.FuzzSupport;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the frame reader with any bytes, handed out in reads of a fuzzed size: it returns frames, or ends with an
 * {@link Http2Exception} (a stream error lets it go on to the next frame), a {@link ConnectionEndedException} or a
 * {@link TruncatedFrameException}, never another exception; every message starts with {@code hotpool: } and names the
 * origin; no frame holds a payload above the maximum frame size, and memory follows the input. Each frame's typed
 * accessors are called and field blocks are joined as the connection would. {@code mvn verify} replays
 * {@code FrameReaderFuzzTestsInputs/}.
 */
class FrameReaderFuzzTests {

    private static final String ORIGIN = FuzzSupport.ORIGIN.toString();
    private static final int MAX_FRAME_SIZE = 16384;

    @FuzzTest(maxDuration = "10m")
    void framesOrProtocolErrorsOnly(FuzzedDataProvider data) throws IOException {
        int chunk = data.consumeInt(1, 64);
        byte[] wire = data.consumeRemainingAsBytes();
        FuzzSupport.runAndMeasure(checked -> read(wire, chunk), wire.length, "the frame reader");
    }

    private static void read(byte[] wire, int chunk) throws IOException {
        InputStream in = new FilterInputStream(new ByteArrayInputStream(wire)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        FrameReader reader = new FrameReader(in, MAX_FRAME_SIZE, ORIGIN);
        FieldBlock block = new FieldBlock(4 * MAX_FRAME_SIZE, ORIGIN);
        while (true) {
            Frame f;
            try {
                f = reader.read();
                check(f.payload().length <= MAX_FRAME_SIZE, "a payload of " + f.payload().length + " bytes");
                check(f.length() == f.payload().length, "length " + f.length() + " for a payload array of "
                        + f.payload().length);
                check(f.payloadOffset() + f.payloadLength() <= f.length() && f.payloadLength() >= 0,
                        "payload range outside the frame: " + f);
                check(f.streamId() >= 0, "a negative stream id: " + f);
                accessors(f);
                if (block.inProgress() || f.type() == FrameType.HEADERS || f.type() == FrameType.CONTINUATION
                        || f.type() == FrameType.PUSH_PROMISE) {
                    if (block.add(f)) {
                        check(block.length() <= 4 * MAX_FRAME_SIZE, "a block of " + block.length());
                        block.clear();
                    }
                }
            }
            catch (Http2Exception e) {
                message(e);
                if (e.isConnectionError()) {
                    return;
                }
            }
            catch (ConnectionEndedException | TruncatedFrameException e) {
                message(e);
                return;
            }
        }
    }

    private static void accessors(Frame f) throws Http2Exception {
        switch (f.type()) {
            case FrameType.SETTINGS -> {
                for (Setting s : f.settings()) {
                    try {
                        s.checkReceived(ORIGIN);
                    }
                    catch (Http2Exception e) {
                        message(e);
                    }
                }
            }
            case FrameType.WINDOW_UPDATE -> {
                try {
                    check(f.windowIncrement() > 0, "an increment of 0 passed");
                }
                catch (Http2Exception e) {
                    message(e);
                }
            }
            case FrameType.PING -> f.pingData();
            case FrameType.GOAWAY -> {
                check(f.lastStreamId() >= 0, "a negative last stream id");
                ErrorCode.describe(f.errorCode());
                check(f.debugDataLength() >= 0, "negative debug data");
            }
            case FrameType.RST_STREAM -> ErrorCode.of(f.errorCode());
            case FrameType.PUSH_PROMISE -> check(f.promisedStreamId() >= 0, "a negative promised id");
            default -> {
                // DATA, HEADERS, PRIORITY, CONTINUATION, unknown types: the payload range was checked.
            }
        }
        f.toString();
    }

    private static void message(IOException e) {
        check(e.getMessage().startsWith("hotpool: ") && e.getMessage().contains(ORIGIN),
                "a message without the origin: " + e.getMessage());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
