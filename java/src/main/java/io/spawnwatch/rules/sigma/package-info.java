/** Reading Sigma rule files and compiling them to matchers, with errors that name file, line and feature. */
package io.spawnwatch.rules.sigma;
