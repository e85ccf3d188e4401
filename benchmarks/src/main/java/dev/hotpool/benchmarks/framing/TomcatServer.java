package dev.hotpool.benchmarks.framing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.ValveBase;

/**
 * Embedded Tomcat (NIO connector, defaults) on 127.0.0.1: its {@code DefaultServlet} serves {@code /file.txt} (ETag,
 * Last-Modified, 304 and HEAD are its own), a servlet answers {@code /text} ({@code getWriter()}, Tomcat sets the
 * length), {@code /chunked} (flushed before the end, so Tomcat chunks) and {@code /204}. A valve logs every request's
 * client port. Thread-safe.
 */
final class TomcatServer implements RealServer {

    /** Tomcat logs its start and stop through JUL at INFO; held strongly so the level sticks. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    /** Warns on every stop that leak detection needs --add-opens, which this check does not care about. */
    private static final Logger TOMCAT_LOADER_LOG = Logger.getLogger("org.apache.catalina.loader");

    private final Tomcat tomcat;
    private final int port;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();

    TomcatServer(Path work, Path www) throws IOException, LifecycleException {
        TOMCAT_LOG.setLevel(Level.WARNING);
        TOMCAT_LOADER_LOG.setLevel(Level.SEVERE);
        Path base = Files.createDirectories(work.resolve("tomcat"));
        this.tomcat = new Tomcat();
        this.tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        this.tomcat.getService().addConnector(connector);
        this.tomcat.setConnector(connector);
        Context context = this.tomcat.addContext("", www.toAbsolutePath().toString());
        context.addMimeMapping("txt", "text/plain");
        Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        context.addServletMappingDecoded("/", "default");
        Tomcat.addServlet(context, "app", new AppServlet());
        context.addServletMappingDecoded("/text", "app");
        context.addServletMappingDecoded("/chunked", "app");
        context.addServletMappingDecoded("/204", "app");
        context.getPipeline().addValve(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, ServletException {
                TomcatServer.this.hits.add(new Hit(request.getRemotePort(), request.getMethod(),
                        request.getRequestURI()));
                getNext().invoke(request, response);
            }
        });
        this.tomcat.start();
        this.port = connector.getLocalPort();
    }

    @Override
    public String name() {
        return "Tomcat " + ServerInfo.getServerNumber() + " (embedded)";
    }

    @Override
    public String id() {
        return "tomcat";
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public List<Probe> probes() {
        return List.of(Probe.file("DefaultServlet, static file"), Probe.text("servlet, getWriter()"),
                Probe.chunked("/chunked", "servlet, flushBuffer() before the end"),
                Probe.noContent("servlet, setStatus(204)"),
                Probe.ifNoneMatch(), Probe.ifModifiedSince(), Probe.head());
    }

    @Override
    public List<Hit> hits() {
        return List.copyOf(this.hits);
    }

    @Override
    public void close() {
        try {
            this.tomcat.stop();
            this.tomcat.destroy();
        }
        catch (LifecycleException e) {
            throw new IllegalStateException("real servers: Tomcat did not stop", e);
        }
    }

    private static final class AppServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            switch (request.getRequestURI()) {
                case "/text" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("ok");
                }
                case "/chunked" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("o");
                    response.flushBuffer();
                    response.getWriter().write("k");
                }
                default -> response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
        }
    }
}
