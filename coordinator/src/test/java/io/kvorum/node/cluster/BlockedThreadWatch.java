package io.kvorum.node.cluster;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Turns Vert.x's blocked-thread warning into a test failure: an event loop blocked by MapDB,
 * file I/O or a lock is a bug, not a log line.
 */
final class BlockedThreadWatch {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private BlockedThreadWatch(Logger logger) {
        this.logger = logger;
    }

    static BlockedThreadWatch install() {
        BlockedThreadWatch w = new BlockedThreadWatch((Logger) LoggerFactory.getLogger("io.vertx"));
        w.appender.start();
        w.logger.addAppender(w.appender);
        return w;
    }

    void uninstallAndCheck() {
        logger.detachAppender(appender);
        List<String> blocked = appender.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("has been blocked"))
                .toList();
        if (!blocked.isEmpty()) {
            throw new AssertionError("Vert.x reported blocked threads: " + blocked);
        }
    }
}
