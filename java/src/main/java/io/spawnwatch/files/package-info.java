/**
 * Files the sensor reads from operators and files it creates: bounded, strict
 * UTF-8 reading of configuration and rule files ({@link io.spawnwatch.files.TextFiles}),
 * and private modes for what it writes ({@link io.spawnwatch.files.PrivateFiles}).
 */
package io.spawnwatch.files;
