package io.spawnwatch.rules.sigma;

import io.spawnwatch.rules.model.RuleMetadata;
import io.spawnwatch.rules.match.Matcher;

/**
 * A rule ready to run: what alerts say about it, its compiled detection, and our extension.
 *
 * @param line where the rule's document starts in its file
 */
public record SigmaRule(RuleMetadata metadata, Matcher detection, RuleExtension extension, int line) {
    public String id() {
        return metadata.id();
    }
}
