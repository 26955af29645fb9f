package io.kvorum.system.cas;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.nemesis.Nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A seeded sequence of faults for a CAS workload on a small cluster: a quiet time, then one fault
 * on one node, held for a while and undone, again and again. The first faults are each kind once
 * in a seeded order; more follow while the time budget lasts. One fault at a time, so a quorum of
 * every key's replicas is back between faults and only the victim is ever out.
 */
final class FaultSchedule {
    /** What is done to the victim. */
    enum Fault {
        /** SIGKILL, held, then a restart on the same data (waiting until the node is ready). */
        KILL,
        /** SIGSTOP, held, SIGCONT: silence, with connections open. */
        PAUSE,
        /** The victim cut off from the other nodes both ways, held, healed. */
        PARTITION
    }

    /** One fault: after {@code quietMillis}, {@code fault} on node {@code victim} for {@code holdMillis}. */
    record Step(Fault fault, int victim, long quietMillis, long holdMillis) {
        /** What the step takes at most, counting a restart as {@link #RESTART_ALLOWANCE_MILLIS}. */
        long estimateMillis() {
            return quietMillis + holdMillis + (fault == Fault.KILL ? RESTART_ALLOWANCE_MILLIS : 0);
        }

        @Override
        public String toString() {
            return fault.name().toLowerCase() + " n" + (victim + 1) + " for " + holdMillis + " ms after "
                    + quietMillis + " ms";
        }
    }

    /** A node JVM's start on a busy two-core machine. */
    static final long RESTART_ALLOWANCE_MILLIS = 12_000;

    private FaultSchedule() {
    }

    /**
     * Pure: each kind of fault once in a random order, then random ones while the sum of the
     * estimates stays within {@code budgetMillis}.
     *
     * @param pauseMillis the least a pause lasts: longer than a client waits for an answer
     */
    static List<Step> plan(Random random, int nodes, long budgetMillis, long pauseMillis) {
        List<Fault> order = new ArrayList<>(List.of(Fault.values()));
        Collections.shuffle(order, random);
        List<Step> steps = new ArrayList<>();
        long total = 0;
        for (int i = 0; ; i++) {
            Fault fault = i < order.size() ? order.get(i) : Fault.values()[random.nextInt(Fault.values().length)];
            long quiet = 2_000 + random.nextInt(2_000);
            long hold = switch (fault) {
                case KILL -> 1_000 + random.nextInt(2_000);
                case PAUSE -> pauseMillis + random.nextInt(1_500);
                case PARTITION -> 4_000 + random.nextInt(3_000);
            };
            Step step = new Step(fault, random.nextInt(nodes), quiet, hold);
            if (i >= order.size() && total + step.estimateMillis() > budgetMillis) {
                return steps;
            }
            steps.add(step);
            total += step.estimateMillis();
        }
    }

    /** The kinds of fault among {@code steps}. */
    static Set<Fault> kinds(List<Step> steps) {
        Set<Fault> out = EnumSet.noneOf(Fault.class);
        steps.forEach(s -> out.add(s.fault()));
        return out;
    }

    /**
     * Runs the steps: a step starts only while {@code before} is more than its estimate away (the
     * first of each kind always runs); every fault is undone before the next. Holds and quiet
     * times are the nemesis's own pace, not synchronisation.
     *
     * @return the steps that ran
     */
    static List<Step> run(List<Step> steps, Nemesis nemesis, List<NodeProcess> nodes, long beforeNanos,
                          Consumer<String> log) throws Exception {
        List<Step> ran = new ArrayList<>();
        Set<Fault> done = EnumSet.noneOf(Fault.class);
        for (Step s : steps) {
            long leftMillis = (beforeNanos - System.nanoTime()) / 1_000_000;
            if (done.contains(s.fault()) && leftMillis < s.estimateMillis()) {
                break;
            }
            Thread.sleep(s.quietMillis());
            NodeProcess victim = nodes.get(s.victim());
            long start = System.nanoTime();
            switch (s.fault()) {
                case KILL -> {
                    nemesis.kill(victim);
                    Thread.sleep(s.holdMillis());
                    nemesis.restart(victim);
                }
                case PAUSE -> {
                    nemesis.pause(victim);
                    Thread.sleep(s.holdMillis());
                    nemesis.resume(victim);
                }
                case PARTITION -> {
                    nemesis.partition(Set.of(victim));
                    Thread.sleep(s.holdMillis());
                    nemesis.heal();
                }
            }
            log.accept(s + " (took " + (System.nanoTime() - start) / 1_000_000 + " ms)");
            done.add(s.fault());
            ran.add(s);
        }
        return ran;
    }
}
