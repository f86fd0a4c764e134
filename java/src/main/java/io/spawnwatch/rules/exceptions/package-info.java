/** Operator exclusions loaded from a YAML file, with the same matcher semantics as Sigma selections. */
package io.spawnwatch.rules.exceptions;
