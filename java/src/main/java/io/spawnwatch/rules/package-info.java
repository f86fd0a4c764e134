/**
 * Detection: Sigma rules compiled to allocation-free matchers, rarity and
 * new-terms baselines, operator exceptions, repeat suppression, and the rule
 * part of ECS alerts.
 *
 * <h2>Using it (the sensor's side)</h2>
 * <pre>{@code
 * DetectionConfig config = ...;            // the "detection:" section, bound by Jackson
 * List<RuleSource> rules = new ArrayList<>(RuleSource.builtin());
 * rules.addAll(RuleSource.of(List.of(Path.of("/etc/spawnwatch/rules"))));
 * RuleSource exceptions = RuleSource.of(Path.of("/etc/spawnwatch/exceptions.yml")); // or null
 * RuleEngine engine = RuleEngine.open(config, rules, exceptions);
 * engine.loadErrors();                     // refused rules, each "file:line: message"
 * engine.evaluate(event, (rule, ev, repeats) -> {
 *     // write one ECS alert: event.kind "alert" + EcsRuleFields.writeEventSeverity(rule, json) inside "event",
 *     // EcsRuleFields.writeRuleAndThreat(rule, json), the event's fields, and repeats if > 0
 * });
 * ReloadResult r = engine.reload(rules, exceptions);  // all or nothing
 * engine.setEnabled(ruleId, false);
 * EngineStats s = engine.stats();
 * engine.close();                          // commits the baselines
 * List<RuleError> lint = RuleCheck.check(files);      // spawnwatch rules check FILE...
 * }</pre>
 *
 * <h2>Pipeline of one event</h2>
 * The rules of the event's type (process_creation for exec, network_connection
 * for TCP connects, UDP datagrams and DNS queries, file_event for file writes,
 * privilege_change for set*uid/capset gains) run their compiled detection. Nothing is allocated unless a
 * detection matches. A match then goes through, in order: the operator
 * exceptions (counted per exception and per rule), the rule's rarity or
 * new-terms baseline, and repeat suppression; what survives reaches the
 * {@link io.spawnwatch.rules.AlertSink}.
 *
 * <h2>Sigma support</h2>
 * Supported: logsource product linux, categories process_creation,
 * network_connection, file_event and privilege_change (ours: Sigma has no
 * category for a credential change by a call); search identifiers as maps (AND) or lists of maps (OR);
 * value lists (OR); case-insensitive matching (ASCII letters fold; values
 * may hold any Unicode, compared as the UTF-8 bytes the kernel sends, so a
 * non-ASCII letter matches in its own case and {@code ?} or a regex {@code .}
 * stand for one byte); {@code *} and {@code ?} with
 * the specification's backslash escapes; null (absent) and '' (empty);
 * modifiers contains, startswith, endswith, all, exists, cased, neq, windash,
 * base64, base64offset, re with i/m/s, cidr, lt, lte, gt, gte, expand
 * ({@code %name%} placeholders from {@link io.spawnwatch.rules.model.DetectionConfig});
 * conditions with and, or, not, parentheses, 1 of/any of/all of over
 * identifier patterns and them (not identifiers starting with _), a list of
 * conditions (OR). Refused with file, line and the feature: other products,
 * categories and services; keyword searches; aggregations ({@code | count()})
 * and near; timeframe; N of for N &gt; 1; rule collections (action), correlation
 * and filter documents; utf16/utf16le/utf16be/wide, fieldref and time-part
 * modifiers; unknown modifiers and contradictory combinations; unknown fields
 * and fields our events never carry (SourceHostname, hashes, Windows
 * fields, a category's fields in another category's rules).
 *
 * <p>Semantics worth knowing: {@code re} is an RE2 regex (linear time; no
 * backreferences or lookaround, refused at load) searched anywhere in
 * the value (case-sensitive unless {@code i}; with {@code i} the pattern must be
 * ASCII, since only ASCII letters fold); base64 and base64offset values
 * are matched case-sensitively (base64 is); {@code neq} needs the field present
 * (combine with {@code |exists: false} for absence); an IPv4-mapped IPv6
 * address matches IPv4 ranges; a plain IP value compares as bytes.
 *
 * <h2>Fields</h2>
 * Image, CommandLine, ProcessName (comm), CurrentDirectory, ProcessId, User,
 * UserId, GroupId, EffectiveUserId, ParentImage, ParentCommandLine,
 * ParentName, ParentCurrentDirectory, ParentProcessId, ContainerId,
 * LineageRootName, LineageRootImage, LineageRootPid, LineageRootStart, LineageDepth,
 * LineageChain, DestinationIp, DestinationPort, SourceIp, SourcePort,
 * Protocol, Initiated; also under their ECS names (process.executable, ...,
 * the one table is {@link io.spawnwatch.event.Field#ecsName()}). Fields Sigma
 * has no name for go by their ECS name only: process.args and
 * process.parent.args (lists: a value matches when any argument does, as in
 * Elastic's queries; {@code |all} needs each value in some argument),
 * process.real_user.id and process.real_user.name (UserId and User are the
 * effective user, as ECS defines user.id). LogonId is Sysmon for Linux's name
 * for the real uid (it fills the field from cred->uid), so SigmaHQ's rules that
 * test it read process.real_user.id; it is not the audit login uid.
 *
 * <p>Network events ({@code network_connection}): Protocol is {@code tcp} or
 * {@code udp}; a UDP event is the first datagram a lineage process sends to a
 * destination (connect or sendto); a DNS query sent by the lineage carries
 * DestinationHostname (ECS dns.question.name: the name asked, labels joined
 * with dots, bytes outside printable ASCII as \DDD) and DnsQueryType (A,
 * AAAA, TXT...), with DestinationIp/Port the resolver's. SourceIp and
 * SourcePort are absent when the hook fires before the kernel picks them
 * (cgroup/connect4 and connect6).
 *
 * <p>File events ({@code file_event}, lineage only): TargetFilename (ECS
 * file.path, resolved in the kernel: for opens from the file opened, for
 * rename/link/chmod the directory resolved plus the caller's name), FileAction
 * ({@code creation}, {@code write}, {@code truncate}, {@code rename},
 * {@code link}, {@code chmod}), FileClass ({@code writable},
 * {@code persistence}, {@code web_root}: the configuration's files section
 * decides), FileMode (chmod: the mode asked for, which the kernel reports only
 * with an execute bit; else the file's mode), plus the process fields.
 *
 * <p>Privilege events ({@code privilege_change}, lineage only): PrivilegeCall
 * ({@code setuid}, {@code setreuid}, {@code setresuid}, {@code capset}),
 * PreviousEffectiveUserId, and EffectiveUserId after the call. The kernel
 * sends one only when the effective uid became 0 or the effective
 * capabilities grew. A setuid-root exec shows in process_creation instead
 * (EffectiveUserId 0, UserId not 0).
 *
 * <h2>Rule extension</h2>
 * A rule file's top-level {@code spawnwatch:} key; see
 * {@link io.spawnwatch.rules.sigma.RuleExtension}.
 *
 * <h2>Baselines: bounds, eviction, persistence</h2>
 * Each rarity or new-terms rule has one table of at most
 * {@code baseline_max_entries} keys (default 65,536; 60 to 100 bytes each, in
 * primitive arrays, no object per key). A key is the XXH3-128 of the rule's
 * fields under a secret seed kept in the store (why a non-cryptographic hash
 * is enough: {@link io.spawnwatch.rules.baseline.KeyHasher}); the values
 * themselves (attacker-controlled command lines) are never kept. When a table
 * is full the least recently seen key is evicted, from memory and from disk,
 * and counted ({@code EngineStats.baselines[].evictions}). An evicted key
 * looks rare or new again, so a flood makes the rule noisier, never blind.
 * The store is SQLite in WAL mode at {@code state_path} (absent: memory only,
 * forgotten on restart). Changes are written behind, one transaction per
 * {@code baseline_flush_interval} (default 1 s; 0 commits every change), and
 * at once when a flood outgrows a table. A kill -9 loses at most the sightings
 * of the last interval and never a committed one; a lost sighting means one
 * extra alert later. Entries older than their rule's window are pruned.
 *
 * <h2>Suppression</h2>
 * Repeats of an alert key (rule id + {@code suppression.key_fields}, default
 * Image, ParentImage, CommandLine; a rule may set its own) within
 * {@code suppression.window} (default 10m, event time) are counted, not sent;
 * the next alert of the key carries the count. Memory only, bounded by
 * {@code suppression.max_keys}, least recently used evicted and counted.
 *
 * <h2>Exceptions</h2>
 * See {@link io.spawnwatch.rules.exceptions.ExceptionList} for the file shape.
 */
package io.spawnwatch.rules;

import io.spawnwatch.rules.model.RuleError;
import io.spawnwatch.rules.model.RuleSource;
import io.spawnwatch.rules.model.DetectionConfig;
