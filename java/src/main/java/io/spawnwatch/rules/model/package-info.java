/**
 * What the rule packages share and depend on, depending on none of them: a rule's metadata and level, its
 * ATT&CK mapping, where rules come from, the detection configuration, and the error every parser reports.
 * Plain data; rendering it (ECS) is rules.alert's job. Keeping these here is what keeps the rules packages free
 * of cycles (RulesPackageCyclesTest).
 */
package io.spawnwatch.rules.model;
