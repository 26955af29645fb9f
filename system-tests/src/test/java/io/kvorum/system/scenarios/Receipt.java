package io.kvorum.system.scenarios;

import java.util.HashMap;
import java.util.Map;

/** A write's quorum receipt, parsed from {@code X-Kvorum-Quorum: required=2; acked=2; fallback=0; hinted=1}. */
record Receipt(int required, int acked, int fallback, int hinted) {
    static Receipt parse(String header) {
        if (header == null) {
            throw new IllegalArgumentException("no X-Kvorum-Quorum header");
        }
        Map<String, Integer> fields = new HashMap<>();
        for (String part : header.split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2) {
                fields.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            }
        }
        for (String name : new String[]{"required", "acked", "fallback", "hinted"}) {
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException("the write receipt has no " + name + ": " + header);
            }
        }
        return new Receipt(fields.get("required"), fields.get("acked"), fields.get("fallback"), fields.get("hinted"));
    }
}
