package io.kvorum.system.nemesis;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a fault scenario (on a class or a test method; the method's wins). {@link ScenarioExtension}
 * then: checks the nemesis prerequisites (fails in CI, skips elsewhere); sweeps the nemesis
 * table before and after; picks and prints the seed ({@code -Dkvorum.seed=N} replays one);
 * bounds the test by {@link #deadlineSeconds()}; injects a {@link ScenarioContext}; and on
 * failure keeps the history under {@code target/histories/<Class>.<method>-<seed>.jsonl}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ScenarioExtension.class)
public @interface Scenario {
    /** The whole test, cluster start included, must finish within this many seconds. */
    int deadlineSeconds() default 60;

    /** False for scenarios that use no nemesis (no root, nft or ip needed). */
    boolean nemesis() default true;
}
