#!/usr/bin/env python3
"""Cut the ECS field definitions our documents use out of ECS's generated ecs_flat.yml.

Usage: make_subset.py ECS_FLAT_YML VERSION COMMIT < fields.txt > ecs_flat_subset.yml
fields.txt: one flat field name per line (# comments allowed). Keeps, per field, the
definition's name, type, normalize (array or not) and, for the categorisation fields,
the allowed values' names (and, for event.category, the event.type values each expects),
which is what EcsSchemaTest checks.
"""
import sys

import yaml

flat_path, version, commit = sys.argv[1:4]
with open(flat_path, encoding="utf-8") as f:
    flat = yaml.safe_load(f)
wanted = [l.split("#")[0].strip() for l in sys.stdin]
wanted = [w for w in wanted if w]
out = {}
for name in wanted:
    d = flat.get(name)
    if d is None:
        sys.exit(f"{name}: not an ECS {version} field")
    entry = {"type": d["type"], "normalize": d.get("normalize", [])}
    if "allowed_values" in d:
        entry["allowed_values"] = [v["name"] for v in d["allowed_values"]]
        expected = {v["name"]: v["expected_event_types"] for v in d["allowed_values"] if "expected_event_types" in v}
        if expected:
            entry["expected_event_types"] = expected
    out[name] = entry
print(f"# The ECS field definitions spawnwatch's documents use: a subset of ECS {version}'s")
print(f"# generated/ecs/ecs_flat.yml (https://github.com/elastic/ecs, tag v{version}, commit {commit}),")
print("# Apache License 2.0. Made by make_subset.py from fields.txt; do not edit by hand.")
print(f"ecs_version: '{version}'")
print(yaml.safe_dump({"fields": out}, sort_keys=True, default_flow_style=False), end="")
