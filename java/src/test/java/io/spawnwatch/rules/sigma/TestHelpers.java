package io.spawnwatch.rules.sigma;

import io.spawnwatch.rules.Rules;
import io.spawnwatch.rules.match.Matcher;

final class TestHelpers {
    private TestHelpers() {}

    static Matcher connectSelection(String body) {
        return Rules.compile(Rules.rule("network_connection", "    sel:\n" + body + "    condition: sel\n")).detection();
    }
}
