package dev.hotpool.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.KeyManagerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Netty's HTTP/2 server (frame codec and stream multiplexer) on 127.0.0.1: a TLS port that negotiates {@code h2} or
 * {@code http/1.1} by ALPN on the JDK's provider, and a cleartext port that speaks HTTP/2 by prior knowledge
 * ({@code h2c}). Netty starts every window at 65,535 bytes and sends its own WINDOW_UPDATEs as its streams read.
 *
 * <p>What it answers over HTTP/2 (bodies of {@link #content(int)} unless said):
 * <ul>
 * <li>{@code GET /bytes/N}: N bytes with their content-length; {@code HEAD} the same head without DATA;</li>
 * <li>{@code POST /echo}: the request's body back, with its content-length;</li>
 * <li>{@code /204}: 204 with no DATA;</li>
 * <li>{@code /gzip/N}: N bytes gzip-encoded ({@code content-encoding: gzip}, the encoded length);</li>
 * <li>{@code /trailers/N}: N bytes without a content-length, then trailers ({@code x-checksum}, {@code x-length});</li>
 * <li>{@code /gather/N}: held until N {@code /gather} requests are waiting on this server (or 10 s passed: 503),
 *     then each answered with N: they were open at once.</li>
 * </ul>
 * Over HTTP/1.1 every request gets {@code netty HTTP/1.1}. Counts TCP connections accepted and HTTP/2 requests.
 *
 * <p>Thread-safe. {@link #close()} closes every channel and waits for the event loops to stop.
 */
public final class NettyH2Server implements AutoCloseable {

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    /** What answers each stream held by {@code /gather}; an entry leaves when answered or at its deadline. Guarded by itself. */
    private final List<Runnable> gathered = new ArrayList<>();
    private final Channel tlsChannel;
    private final Channel h2cChannel;

    private NettyH2Server(TestCertificates certs) throws Exception {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(certs.serverKeyStore(), TestCertificates.PASSWORD);
            SslContext tls = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
            this.tlsChannel = bind(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    NettyH2Server.this.connections.incrementAndGet();
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Negotiation());
                }
            });
            this.h2cChannel = bind(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    NettyH2Server.this.connections.incrementAndGet();
                    addHttp2(ch);
                }
            });
        }
        catch (Exception e) {
            shutdown();
            throw e;
        }
    }

    /** Starts both ports with the certificates' server key. */
    public static NettyH2Server start(TestCertificates certs) throws Exception {
        return new NettyH2Server(certs);
    }

    /** The bytes {@code /bytes/N} and the others serve: N bytes of a pattern that does not repeat every 256. */
    public static byte[] content(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + (i >>> 8) * 7 + (i >>> 16) * 13);
        }
        return b;
    }

    /** {@code https://localhost:<tls port>} plus {@code path}. */
    public URI tls(String path) {
        return URI.create("https://localhost:" + port(this.tlsChannel) + path);
    }

    /** {@code http://localhost:<h2c port>} plus {@code path}. */
    public URI h2c(String path) {
        return URI.create("http://localhost:" + port(this.h2cChannel) + path);
    }

    /** TCP connections accepted on both ports. */
    public int connectionsAccepted() {
        return this.connections.get();
    }

    /** HTTP/2 requests answered. */
    public int requestsServed() {
        return this.requests.get();
    }

    @Override
    public void close() {
        shutdown();
    }

    private void shutdown() {
        if (this.tlsChannel != null) {
            this.tlsChannel.close().syncUninterruptibly();
        }
        if (this.h2cChannel != null) {
            this.h2cChannel.close().syncUninterruptibly();
        }
        this.workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        this.boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel bind(ChannelInitializer<SocketChannel> init) throws InterruptedException {
        return new ServerBootstrap().group(this.boss, this.workers).channel(NioServerSocketChannel.class)
                .childHandler(init).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private static int port(Channel channel) {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private void addHttp2(Channel ch) {
        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(100)).build());
        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new StreamHandler());
            }
        }));
    }

    /** ALPN's pick: HTTP/2, or a one-line HTTP/1.1 server. */
    private final class Negotiation extends ApplicationProtocolNegotiationHandler {

        Negotiation() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.channel());
                return;
            }
            ctx.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext c, FullHttpRequest request) {
                            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                    Unpooled.copiedBuffer("netty HTTP/1.1", StandardCharsets.US_ASCII));
                            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH,
                                    response.content().readableBytes());
                            c.writeAndFlush(response);
                        }
                    });
        }
    }

    /** One HTTP/2 stream: collects the request, then answers by its path. Runs on its channel's event loop. */
    private final class StreamHandler extends ChannelInboundHandlerAdapter {

        private Http2Headers request;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    if (this.request == null) {
                        this.request = h.headers();
                    }
                    if (h.isEndStream()) {
                        answer(ctx);
                    }
                }
                else if (msg instanceof Http2DataFrame d) {
                    ByteBuf content = d.content();
                    byte[] b = new byte[content.readableBytes()];
                    content.readBytes(b);
                    this.body.writeBytes(b);
                    if (d.isEndStream()) {
                        answer(ctx);
                    }
                }
            }
            finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            NettyH2Server.this.requests.incrementAndGet();
            String method = this.request.method().toString();
            String path = this.request.path().toString();
            String[] parts = path.split("/");
            int n = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
            switch (parts.length > 1 ? parts[1] : "") {
                case "bytes" -> send(ctx, 200, null, content(n), method.equals("HEAD"), true);
                case "echo" -> send(ctx, 200, null, this.body.toByteArray(), false, true);
                case "204" -> send(ctx, 204, null, new byte[0], true, false);
                case "gzip" -> send(ctx, 200, "gzip", gzip(content(n)), method.equals("HEAD"), true);
                case "trailers" -> {
                    byte[] b = content(n);
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
                    ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(b), false));
                    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                            .add("x-checksum", Integer.toString(java.util.Arrays.hashCode(b)))
                            .add("x-length", Integer.toString(b.length)), true));
                }
                case "gather" -> gather(ctx, n);
                default -> send(ctx, 404, null, "no such path".getBytes(StandardCharsets.US_ASCII), false, true);
            }
        }

        private void gather(ChannelHandlerContext ctx, int wanted) {
            List<Runnable> release;
            synchronized (NettyH2Server.this.gathered) {
                Runnable[] self = new Runnable[1];
                ScheduledFuture<?> late = ctx.executor().schedule(() -> {
                    synchronized (NettyH2Server.this.gathered) {
                        NettyH2Server.this.gathered.remove(self[0]);
                    }
                    send(ctx, 503, null, "not gathered".getBytes(StandardCharsets.US_ASCII), false, true);
                }, 10, TimeUnit.SECONDS);
                self[0] = () -> {
                    if (late.cancel(false)) {
                        ctx.executor().execute(() -> send(ctx, 200, null,
                                Integer.toString(wanted).getBytes(StandardCharsets.US_ASCII), false, true));
                    }
                };
                NettyH2Server.this.gathered.add(self[0]);
                if (NettyH2Server.this.gathered.size() < wanted) {
                    return;
                }
                release = new ArrayList<>(NettyH2Server.this.gathered);
                NettyH2Server.this.gathered.clear();
            }
            release.forEach(Runnable::run);
        }

        private void send(ChannelHandlerContext ctx, int status, String coding, byte[] b, boolean noData,
                boolean withLength) {
            Http2Headers head = new DefaultHttp2Headers().status(Integer.toString(status));
            if (coding != null) {
                head.add("content-encoding", coding);
            }
            if (withLength) {
                head.addInt("content-length", b.length);
            }
            if (noData) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(head, true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(head, false));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(b), true));
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
