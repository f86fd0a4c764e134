/** YAML read as a node tree so every value keeps its line for error messages. */
package io.spawnwatch.rules.yaml;
