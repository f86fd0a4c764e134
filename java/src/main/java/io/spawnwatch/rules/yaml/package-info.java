/**
 * YAML read as a node tree so every value keeps its line for error messages, with jackson-dataformat-yaml's
 * streaming parser: the one YAML library of the project (the configuration and the exceptions file use it
 * too).
 */
package io.spawnwatch.rules.yaml;
