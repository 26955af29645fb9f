package io.kvorum.system.nemesis;

import io.kvorum.system.history.History;
import io.kvorum.system.history.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the scenario support: seeds, history file names, prerequisites verdicts, deadlines. */
class HarnessPiecesTest {
    @Test
    void theSeedPropertyReplaysAndItsAbsenceDrawsAFreshSeed() {
        assertEquals(42L, Seeds.resolve("42", 7L));
        assertEquals(-3L, Seeds.resolve(" -3 ", 7L));
        assertEquals(7L, Seeds.resolve(null, 7L));
        assertEquals(7L, Seeds.resolve("", 7L));
        assertThrows(IllegalArgumentException.class, () -> Seeds.resolve("abc", 7L));
    }

    @Test
    void aKeptHistoryIsNamedAfterTheTestAndTheSeed(@TempDir Path dir) throws Exception {
        assertEquals(dir.resolve("NemesisSelfTest.partition_n3-123.jsonl"),
                HistoryKeeper.fileFor(dir, "NemesisSelfTest.partition n3", 123));
        History h = new History();
        h.ok(h.invoke("w0", Op.WRITE, "k", "v"), null);
        Path file = HistoryKeeper.keep(dir.resolve("histories"), "A.b", -5, h);
        assertEquals(dir.resolve("histories/A.b--5.jsonl"), file);
        assertEquals(h.events(), History.readFrom(file));
        assertEquals(dir.resolve("A.b-7.register.jsonl"), HistoryKeeper.fileFor(dir, "A.b", 7, "register"));
    }

    @Test
    void missingPrerequisitesFailInCiAndSkipElsewhere() {
        assertEquals(NemesisPrerequisites.Verdict.READY, NemesisPrerequisites.verdict(List.of(), true));
        assertEquals(NemesisPrerequisites.Verdict.READY, NemesisPrerequisites.verdict(List.of(), false));
        assertEquals(NemesisPrerequisites.Verdict.FAIL, NemesisPrerequisites.verdict(List.of("no nft"), true));
        assertEquals(NemesisPrerequisites.Verdict.SKIP, NemesisPrerequisites.verdict(List.of("no nft"), false));
        String ci = NemesisPrerequisites.message(List.of("'nft' is not on the PATH", "not running as root"), true);
        assertTrue(ci.contains("'nft' is not on the PATH; not running as root") && ci.contains("CI=true"), ci);
    }

    @Test
    void aDeadlineNeverReportsNegativeTimeAndBoundsWaits() {
        Deadline past = new Deadline(System.nanoTime() - Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, past.remaining());
        assertTrue(past.expired());
        Deadline fresh = Deadline.startingNow(Duration.ofSeconds(60));
        assertEquals(Duration.ofSeconds(2), fresh.atMost(Duration.ofSeconds(2)));
        assertTrue(fresh.atMost(Duration.ofMinutes(5)).compareTo(Duration.ofSeconds(60)) <= 0);
    }
}
