package io.kvorum.system.nemesis;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The behaviour behind {@link Scenario}; see there. */
public final class ScenarioExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver,
        InvocationInterceptor {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ScenarioExtension.class);
    /** {@code -Dkvorum.keepHistories=true} keeps the history of passing scenarios too. */
    static final String KEEP_ALL = "kvorum.keepHistories";

    @Override
    public void beforeEach(ExtensionContext ext) throws Exception {
        Scenario scenario = scenario(ext);
        String name = ext.getRequiredTestClass().getSimpleName() + "." + ext.getRequiredTestMethod().getName();
        long seed = Seeds.current();
        System.out.printf("[scenario] %s: seed %d (replay with -D%s=%d), deadline %d s%n",
                name, seed, Seeds.PROPERTY, seed, scenario.deadlineSeconds());
        ScenarioContext ctx = new ScenarioContext(name, seed,
                Deadline.startingNow(Duration.ofSeconds(scenario.deadlineSeconds())));
        ext.getStore(NS).put(ScenarioContext.class, ctx);
        if (scenario.nemesis()) {
            NemesisPrerequisites.require();
            if (Nemesis.sweep()) {
                System.out.println("[scenario] removed a nemesis table left over by an earlier run");
            }
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext ext) {
        ScenarioContext ctx = context(ext);
        int seconds = scenario(ext).deadlineSeconds();
        assertTimeoutPreemptively(ctx.deadline().remaining(), () -> {
            invocation.proceed();
            return null;
        }, () -> ctx.name() + " exceeded its deadline of " + seconds + " s (seed " + ctx.seed() + ")");
    }

    @Override
    public void afterEach(ExtensionContext ext) throws Exception {
        ScenarioContext ctx = ext.getStore(NS).remove(ScenarioContext.class, ScenarioContext.class);
        if (ctx == null) {
            return;
        }
        List<Exception> errors = ctx.closeAll();
        if (scenario(ext).nemesis() && NemesisPrerequisites.missing().isEmpty()) {
            try {
                Nemesis.sweep();
            } catch (Exception e) {
                errors.add(e);
            }
        }
        boolean failed = ext.getExecutionException().filter(t -> !(t instanceof TestAbortedException)).isPresent();
        if (failed || Boolean.getBoolean(KEEP_ALL)) {
            Path file = HistoryKeeper.keep(HistoryKeeper.defaultDirectory(), ctx.name(), ctx.seed(), ctx.history());
            System.out.printf("[scenario] %s %s: history kept in %s (%d events)%n", ctx.name(),
                    failed ? "FAILED" : "passed", file, ctx.history().events().size());
            ctx.extraHistories().forEach((suffix, writer) -> {
                Path extra = HistoryKeeper.fileFor(HistoryKeeper.defaultDirectory(), ctx.name(), ctx.seed(), suffix);
                try {
                    writer.writeTo(extra);
                    System.out.printf("[scenario] %s: %s history kept in %s%n", ctx.name(), suffix, extra);
                } catch (Exception e) {
                    errors.add(e);
                }
            });
        }
        Duration took = ctx.deadline().budget().minus(ctx.deadline().remaining());
        System.out.printf("[scenario] %s: seed %d, %.1f s%n", ctx.name(), ctx.seed(), took.toMillis() / 1000.0);
        if (!errors.isEmpty()) {
            IllegalStateException e = new IllegalStateException("cleaning up " + ctx.name() + ": " + errors);
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ext) {
        return p.getParameter().getType() == ScenarioContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ext) {
        return context(ext);
    }

    private static ScenarioContext context(ExtensionContext ext) {
        ScenarioContext ctx = ext.getStore(NS).get(ScenarioContext.class, ScenarioContext.class);
        if (ctx == null) {
            throw new IllegalStateException("no scenario context: is the test annotated with @Scenario?");
        }
        return ctx;
    }

    private static Scenario scenario(ExtensionContext ext) {
        return AnnotationSupport.findAnnotation(ext.getRequiredTestMethod(), Scenario.class)
                .or(() -> AnnotationSupport.findAnnotation(ext.getRequiredTestClass(), Scenario.class))
                .orElseThrow(() -> new IllegalStateException("ScenarioExtension needs @Scenario on the test"));
    }
}
