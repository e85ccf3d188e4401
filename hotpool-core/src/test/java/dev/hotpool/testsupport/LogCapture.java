package dev.hotpool.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.LoggerFactory;

/** Captures what one logger writes, for tests that assert on warnings. Close it to detach. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> loggerOf) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    /** Captures a logger by name, with its descendants ({@code "dev.hotpool"}: every hotpool logger). */
    public LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    /** The events so far. */
    public List<ILoggingEvent> events() {
        synchronized (this.appender.list) {
            return List.copyOf(this.appender.list);
        }
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    @Override
    public void close() {
        this.logger.detachAppender(this.appender);
    }
}
