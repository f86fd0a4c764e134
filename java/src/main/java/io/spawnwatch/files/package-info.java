/**
 * Files the sensor reads from operators and files it creates: bounded, strict
 * UTF-8 reading of configuration and rule files ({@link io.spawnwatch.files.TextFiles}),
 * private modes for what it writes ({@link io.spawnwatch.files.PrivateFiles}), and what went wrong with a
 * file in the system's words, never an exception's class name ({@link io.spawnwatch.files.IoErrors}).
 */
package io.spawnwatch.files;
