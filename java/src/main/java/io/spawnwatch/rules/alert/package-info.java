/** The alert side: repeat suppression, MITRE ATT&amp;CK mapping and the ECS rule and threat fields. */
package io.spawnwatch.rules.alert;
