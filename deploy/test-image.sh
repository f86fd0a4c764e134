#!/bin/bash
# End-to-end test of the container image against this host's kernel:
#
#   1. builds the image (deploy/build-image.sh: the base is reused when it
#      exists) and prints the build time and the image size;
#   2. runs it as documented (privileged, host pid and cgroup namespaces, the
#      BTF, bpffs and tracefs mounts, the control socket on a host path) with
#      `run --events`, and waits for "hooks attached";
#   3. checks that the BPF programs are held by the container's process, that
#      the control socket appears on the host path and that `spawnwatch status`
#      answers through `podman exec` (and from the host's build/spawnwatch);
#   4. starts a fake web server on the host (bash under the name nginx running
#      `sh -c 'id; uname -a'`) and finds that shell in the container's output
#      (an event; an alert too when the jar ships rules);
#   5. stops the container and checks that none of its BPF programs is left.
#
# It skips (prints SKIP and the reason, exits 0) only when podman cannot be
# installed or cannot run a privileged container here; anything else that
# goes wrong is a failure (exit 1).
#
# usage: deploy/test-image.sh [--jar PATH] [--image NAME]
#   --jar    the jar to build the image from (default: build/spawnwatch.jar)
#   --image  test this image instead of building one
# environment:
#   CONTAINERS_CONF   used as is when set; otherwise the test writes one with
#                     this host's podman quirks (runc, cgroupfs, no default ulimits)
#   SPAWNWATCH_TEST_REQUIRE_ALERT  auto (default: when the jar embeds rules), 1 or 0
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
jar="$repo/build/spawnwatch.jar"
image=""
while [ $# -gt 0 ]; do
    case "$1" in
    --jar) jar=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "test-image: unknown argument: $1 (try --help)" >&2
        exit 2
        ;;
    esac
done

say() { echo "test-image: $*" >&2; }
fail() {
    echo "test-image: FAIL: $*" >&2
    exit 1
}
skip() {
    echo "test-image: SKIP: $*" >&2
    exit 0
}

# --- Can podman run here at all? ------------------------------------------

[ "$(id -u)" -eq 0 ] || skip "podman must run as root (rootful) to load BPF programs; this is uid $(id -u)"
if ! deps_out=$("$here/install-build-deps.sh" 2>&1); then
    if ! command -v podman >/dev/null; then
        skip "podman is not installed and cannot be installed here: $(printf '%s' "$deps_out" | tail -n1)"
    fi
    printf '%s\n' "$deps_out" >&2
    fail "the test's tools could not be installed (deploy/install-build-deps.sh)"
fi

work=$(mktemp -d "${TMPDIR:-/var/tmp}/spawnwatch-test.XXXXXX")
name="spawnwatch-test-$$"
fake_pid=""
cleanup() {
    if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
    podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
    podman rm -f -t 0 "$name-probe" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# This host's podman quirks live here, in the harness, never in the image.
if [ -z "${CONTAINERS_CONF:-}" ]; then
    cat >"$work/containers.conf" <<'EOF'
[containers]
# The default ulimits make runc fail here ("error setting rlimit type 7").
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
    export CONTAINERS_CONF="$work/containers.conf"
fi

# The kernel side first, so that a missing mount is not taken for podman's fault.
[ -r /sys/kernel/btf/vmlinux ] || fail "/sys/kernel/btf/vmlinux is missing: this kernel has no BTF"
mounted() { awk -v m="$1" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; }
mounted /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing ||
    fail "tracefs is not mounted on /sys/kernel/tracing and cannot be"
mounted /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf ||
    fail "bpffs is not mounted on /sys/fs/bpf and cannot be"

# The run options a deployment uses (deploy/README.md), minus the host paths
# that the test keeps to itself.
run_opts=(--privileged --pid=host --cgroupns=host --network=host --uts=host
    -v /sys/kernel/btf:/sys/kernel/btf:ro
    -v /sys/fs/bpf:/sys/fs/bpf
    -v /sys/kernel/tracing:/sys/kernel/tracing
    -v /etc/passwd:/etc/passwd:ro
    -v /etc/group:/etc/group:ro
    -v /etc/machine-id:/etc/machine-id:ro
    -v /etc/os-release:/etc/os-release:ro)

# Probe with a throwaway root filesystem made of this host's own /bin/true, so
# that a failure here says something about podman and this host, not about
# the image under test.
probe_root="$work/probe-root"
mkdir -p "$probe_root"
cp -L /bin/true "$probe_root/true"
for lib in $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$probe_root$(dirname "$lib")"
    cp -L "$lib" "$probe_root$lib"
done
if ! probe_out=$(timeout 120 podman run --rm --name "$name-probe" "${run_opts[@]}" \
    --rootfs "$probe_root" /true 2>&1); then
    skip "podman cannot run a privileged container here: $(printf '%s' "$probe_out" | tail -n1)"
fi

# --- From here on, anything that goes wrong is a failure. ------------------

if [ -z "$image" ]; then
    [ -f "$jar" ] || fail "no jar at $jar: run make first, or pass --jar PATH"
    t0=$(date +%s)
    "$here/build-base.sh" >/dev/null || fail "the base image did not build"
    t1=$(date +%s)
    image=$("$here/build-image.sh" --jar "$jar") || fail "the image did not build"
    t2=$(date +%s)
    say "build time: base $((t1 - t0)) s (0-1 s means reused), image $((t2 - t1)) s"
else
    jar="$work/spawnwatch.jar"
    podman run --rm --entrypoint /bin/sh "$image" -c 'cat /opt/spawnwatch/spawnwatch.jar' >"$jar" ||
        fail "cannot read the jar out of $image"
fi
size=$(podman image inspect --format '{{.Size}}' "$image")
say "image: $image, $((size / 1000000)) MB ($size bytes)"

# The names of our BPF programs, from the object inside the jar. The kernel
# keeps 15 characters of a name; bpftool shows the whole name when the program
# has BTF, so names are compared on their first 15 characters.
unzip -p "$jar" io/spawnwatch/bpf/spawnwatch.bpf.o >"$work/spawnwatch.bpf.o" ||
    fail "no io/spawnwatch/bpf/spawnwatch.bpf.o in $jar"
our_progs=$(readelf -sW "$work/spawnwatch.bpf.o" |
    awk '$4 == "FUNC" && $5 == "GLOBAL" { print $8 }' | sort -u)
[ -n "$our_progs" ] || fail "no BPF programs found in the jar's object"
say "our BPF programs: $(printf '%s\n' "$our_progs" | paste -sd' ' -)"
our_progs15=$(printf '%s\n' "$our_progs" | cut -c1-15)
is_ours() { grep -qxF "${1:0:15}" <<<"$our_progs15"; }

require_alert=${SPAWNWATCH_TEST_REQUIRE_ALERT:-auto}
if [ "$require_alert" = auto ]; then
    if grep -q '\.yml$' <<<"$(unzip -l "$jar" 'io/spawnwatch/rules/*' 2>/dev/null || true)"; then
        require_alert=1
    else
        require_alert=0
    fi
fi

# --- Run the sensor. --------------------------------------------------------

sock_dir="$work/run"
mkdir -p "$sock_dir"
t_run=$(date +%s)
podman run -d --name "$name" "${run_opts[@]}" -v "$sock_dir:/run/spawnwatch" \
    "$image" run --events >/dev/null || fail "podman run $image failed"

# Into files first: `podman logs | grep -q` under pipefail fails whenever grep
# stops reading before podman has written everything.
logs() { podman logs "$name" >"$work/log" 2>&1 || true; cat "$work/log"; }
stdout() { podman logs "$name" 2>/dev/null; }
ready() { logs >/dev/null; grep -q 'hooks attached' "$work/log"; }
for _ in $(seq 1 120); do
    if ready; then
        break
    fi
    if [ "$(podman inspect --format '{{.State.Running}}' "$name")" != true ]; then
        logs | tail -n 40 >&2
        fail "the sensor exited before attaching its hooks"
    fi
    sleep 0.5
done
ready || {
    logs | tail -n 40 >&2
    fail "no \"hooks attached\" in the sensor's log after 60 s"
}
say "ready in $(($(date +%s) - t_run)) s: $(grep -m1 'hooks attached' "$work/log")"

# BPF programs held by the container's process (fdinfo of prog and link fds).
sensor_pid=$(podman inspect --format '{{.State.Pid}}' "$name")
prog_ids=$( (grep -h '^prog_id:' /proc/"$sensor_pid"/fdinfo/* 2>/dev/null || true) | awk '{ print $2 }' | sort -un)
[ -n "$prog_ids" ] || fail "the container's process (host pid $sensor_pid) holds no BPF program"
held=""
for id in $prog_ids; do
    held="$held $id:$(bpftool -j prog show id "$id" | jq -r .name)"
done
say "BPF programs held by the container (host pid $sensor_pid):$held"
for n in $held; do
    is_ours "${n#*:}" ||
        fail "program ${n#*:} (id ${n%%:*}) is held by the sensor but is not in the jar's object"
done

# The control socket, on the host path and through podman exec.
[ -S "$sock_dir/spawnwatch.sock" ] ||
    fail "no control socket at the host path $sock_dir/spawnwatch.sock (the container's /run/spawnwatch/spawnwatch.sock)"
say "control socket on the host: $(stat -c '%A %U' "$sock_dir/spawnwatch.sock") $sock_dir/spawnwatch.sock"
status_out=$(timeout 30 podman exec "$name" spawnwatch status 2>&1) || {
    printf '%s\n' "$status_out" >&2
    fail "podman exec $name spawnwatch status failed"
}
say "podman exec spawnwatch status: ok"
printf '%s\n' "$status_out" | sed 's/^/    /' >&2
if [ -x "$repo/build/spawnwatch" ] && [ "$jar" = "$repo/build/spawnwatch.jar" ]; then
    host_status=$(timeout 30 "$repo/build/spawnwatch" status --socket "$sock_dir/spawnwatch.sock" 2>&1) || {
        printf '%s\n' "$host_status" >&2
        fail "the host's build/spawnwatch status does not reach the sensor in the container"
    }
    say "host build/spawnwatch status through $sock_dir/spawnwatch.sock: ok"
fi

# --- A web shell on the host. ----------------------------------------------

# A program named nginx (bash under that name: its comm is "nginx"). Not a
# #! script: a script that merely carries a server's name is no web server
# (README, "Who is a web server"). `exit 0` after the command keeps bash from
# exec'ing it in place, so that `sh` is its child, as this test checks.
mkdir -p "$work/fakeweb"
ln -s /bin/bash "$work/fakeweb/nginx"
"$work/fakeweb/nginx" -c "sh -c 'id; uname -a'; exit 0" >"$work/fakeweb/out" 2>&1 &
fake_pid=$!
wait "$fake_pid" || fail "the fake web server failed: $(cat "$work/fakeweb/out")"
say "fake web server nginx (host pid $fake_pid) ran: sh -c 'id; uname -a'"

# ECS documents, nested or with dotted keys. ($pid is jq's, not the shell's.)
# shellcheck disable=SC2016
match_shell='
    def f(p): (getpath(p | split(".")) // .[p]);
    select(f("process.name") == "sh" and f("process.parent.name") == "nginx"
        and ((f("process.parent.pid") // $pid) == $pid))'
event="" alert=""
for _ in $(seq 1 40); do
    stdout >"$work/stdout"
    event=$(jq -c -R --argjson pid "$fake_pid" "fromjson? | $match_shell" "$work/stdout" | sed -n 1p)
    alert=$(jq -c -R --argjson pid "$fake_pid" \
        "fromjson? | $match_shell | select(f(\"event.kind\") == \"alert\")" "$work/stdout" | sed -n 1p)
    if [ -n "$event" ] && { [ "$require_alert" != 1 ] || [ -n "$alert" ]; }; then
        break
    fi
    sleep 0.5
done
if [ -z "$event" ]; then
    say "the container's stdout:"
    tail -n 20 "$work/stdout" >&2
    fail "no document for sh with parent nginx (pid $fake_pid) in the container's output after 20 s"
fi
say "found in the container's output: $event"
if [ -n "$alert" ]; then
    say "alert: $alert"
elif [ "$require_alert" = 1 ]; then
    fail "the jar ships rules but no alert for sh under nginx (pid $fake_pid) came out"
else
    say "no alert (the jar ships no rules): the event suffices"
fi

# --- Stop, and nothing of ours stays in the kernel. -------------------------

t_stop=$(date +%s)
podman stop -t 30 "$name" >/dev/null || fail "podman stop $name failed"
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
say "stopped in $(($(date +%s) - t_stop)) s, exit code $code"
case "$code" in
0 | 143) ;;
137) fail "the sensor did not stop on SIGTERM within 30 s and was killed" ;;
*)
    logs | tail -n 20 >&2
    fail "the sensor exited with $code on SIGTERM"
    ;;
esac
left=""
for id in $prog_ids; do
    if bpftool prog show id "$id" >/dev/null 2>&1; then
        left="$left $id"
    fi
done
[ -z "$left" ] || fail "BPF programs of the stopped sensor are still loaded, ids:$left"
# Programs with our names that are still loaded must belong to some other live
# process (another sensor on this host, a parallel kernel test); one held by
# no process was left behind (pinned, or attached without an owner).
# "prog_id pid" for every BPF program fd of every process (processes come
# and go meanwhile: unreadable files are skipped).
holders=$( (grep -H '^prog_id:' /proc/[0-9]*/fdinfo/* 2>/dev/null || true) |
    sed -E 's#^/proc/([0-9]+)/fdinfo/[0-9]+:prog_id:[[:space:]]*([0-9]+)$#\2 \1#' | sort -u)
orphans=""
while read -r id pname; do
    [ -n "$id" ] || continue
    is_ours "$pname" || continue
    owner=$(printf '%s\n' "$holders" | awk -v id="$id" '$1 == id { print $2; exit }')
    if [ -n "$owner" ]; then
        say "note: program $pname (id $id) belongs to another process, pid $owner ($(cat /proc/"$owner"/comm 2>/dev/null))"
    else
        orphans="$orphans $pname:$id"
    fi
done < <(bpftool -j prog list | jq -r '.[] | "\(.id) \(.name // "")"')
[ -z "$orphans" ] || fail "BPF programs with our names are loaded and held by no process:$orphans"
say "no BPF program of ours left after stop (bpftool prog list)"

echo "test-image: PASS: $image ($((size / 1000000)) MB) saw the fake nginx's shell on the host and cleaned up after itself" >&2
