package io.kvorum.node.config;

import io.kvorum.ring.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ConfigLoader.readFile: YAML and JSON files become the same flat keys. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static final String YAML = """
            nodeId: n2
            port: 8082
            members:
              - n1@127.0.0.1:8081
              - n2@127.0.0.1:8082
            durability: periodic
            defaults:
              n: 2
              r: ONE
              sloppy: false
              readRepair: blocking
            """;

    private static final String JSON = """
            {"nodeId": "n2", "port": 8082,
             "members": ["n1@127.0.0.1:8081", "n2@127.0.0.1:8082"],
             "durability": "periodic",
             "defaults": {"n": 2, "r": "ONE", "sloppy": false, "readRepair": "blocking"}}
            """;

    private static final Map<String, String> FLAT = Map.of(
            "nodeId", "n2", "port", "8082", "members", "n1@127.0.0.1:8081,n2@127.0.0.1:8082",
            "durability", "periodic", "defaults.n", "2", "defaults.r", "ONE", "defaults.sloppy", "false",
            "defaults.readRepair", "blocking");

    @ParameterizedTest
    @ValueSource(strings = {"node.yaml", "node.yml", "NODE.YAML"})
    void yamlNestingBecomesDottedKeysAndListsBecomeCommaSeparated(String name) throws IOException {
        assertEquals(FLAT, ConfigLoader.readFile(write(name, YAML)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"node.json", "Node.JSON"})
    void jsonGivesTheSameKeysAsYaml(String name) throws IOException {
        assertEquals(FLAT, ConfigLoader.readFile(write(name, JSON)));
    }

    @Test
    void aFileBuildsTheConfiguration() throws IOException {
        NodeConfig c = ConfigLoader.build(ConfigLoader.readFile(write("node.yaml", YAML)));
        assertEquals("n2", c.nodeId());
        assertEquals(8082, c.port());
        assertEquals(List.of(new Node("n1", "127.0.0.1", 8081), new Node("n2", "127.0.0.1", 8082)), c.members());
        assertEquals(2, c.bucketDefaults().n());
        assertFalse(c.bucketDefaults().sloppy());
    }

    @Test
    void dottedKeysMayAlsoBeWrittenFlat() throws IOException {
        assertEquals(Map.of("defaults.n", "5", "port", "1"),
                ConfigLoader.readFile(write("node.yaml", "defaults.n: 5\nport: 1\n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "---\n"})
    void anEmptyYamlFileSetsNothing(String text) throws IOException {
        assertEquals(Map.of(), ConfigLoader.readFile(write("node.yaml", text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"- a\n- b\n", "just a string\n", "42\n"})
    void aFileThatIsNotAnObjectIsRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.readFile(write("node.yaml", text)));
    }

    @Test
    void aJsonFileThatIsNotAnObjectIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.readFile(write("node.json", "[1, 2]")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"port: [1\n", "a: b: c\n", "\tport: 1\n"})
    void malformedYamlIsAnIoError(String text) {
        assertThrows(IOException.class, () -> ConfigLoader.readFile(write("node.yaml", text)));
    }

    @Test
    void malformedJsonIsAnIoError() {
        assertThrows(IOException.class, () -> ConfigLoader.readFile(write("node.json", "{\"port\": ")));
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThrows(IOException.class, () -> ConfigLoader.readFile(dir.resolve("absent.yaml")));
    }

    @Test
    void unknownKeysInAFileAreRejectedWhenBuilding() throws IOException {
        Map<String, String> keys = ConfigLoader.readFile(write("node.yaml", "defaults:\n  replicas: 3\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.build(keys));
        assertTrue(e.getMessage().contains("defaults.replicas"), e.getMessage());
    }

    @Test
    void anObjectWhereAValueBelongsIsRejectedWhenBuilding() throws IOException {
        Map<String, String> keys = ConfigLoader.readFile(write("node.yaml", "port:\n  number: 1\n"));
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.build(keys));
    }

    /**
     * A key written without a value ({@code secret:} or {@code secret: ~} in YAML, {@code null} in
     * JSON) must not silently become the four-letter string "null": that would run the node with
     * the cluster secret "null", or with its data under ./null. Either leaving the key unset or
     * rejecting the file is fine.
     */
    @ParameterizedTest
    @ValueSource(strings = {"node.yaml:secret:\n", "node.yaml:secret: ~\n", "node.yaml:dataDir: null\n",
            "node.json:{\"secret\": null}"})
    void aKeyWithoutAValueIsNotReadAsTheStringNull(String spec) throws IOException {
        int colon = spec.indexOf(':');
        Path file = write(spec.substring(0, colon), spec.substring(colon + 1));
        Map<String, String> keys;
        try {
            keys = ConfigLoader.readFile(file);
        } catch (IllegalArgumentException rejected) {
            return;
        }
        keys.forEach((k, v) -> assertFalse(v.equals("null"), k + " was read as the string \"null\""));
    }

    /** ...and a YAML value that is the quoted string "null" is a string like any other. */
    @Test
    void aQuotedNullIsAString() throws IOException {
        assertEquals(Map.of("secret", "null"), ConfigLoader.readFile(write("node.yaml", "secret: \"null\"\n")));
    }
}
