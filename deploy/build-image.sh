#!/bin/bash
# Builds the spawnwatch container image without an image registry (`make image`):
#
#   - the base from Debian packages, reused when it exists (deploy/build-base.sh);
#   - a Java runtime made with jlink from the modules in deploy/java-modules,
#     after checking with jdeps that the jar needs no module outside that list;
#     cached by JDK release and module list;
#   - podman build of deploy/Containerfile.local (copies only).
#
# usage: deploy/build-image.sh [--jar PATH] [--tag NAME] [--rebuild-base]
#   --jar   the shaded jar (default: build/spawnwatch.jar of this repository)
#   --tag   image name (default: localhost/spawnwatch:<Implementation-Version of the jar>)
# environment: JAVA_HOME (a JDK 25, default /usr/lib/jvm/temurin-25-jdk-amd64),
#   SPAWNWATCH_CACHE (default /var/cache/spawnwatch-deploy), and those of build-base.sh.
# Prints the image name on stdout; everything else goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
jar="$repo/build/spawnwatch.jar"
tag=""
base_args=()
while [ $# -gt 0 ]; do
    case "$1" in
    --jar) jar=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --rebuild-base) base_args+=(--rebuild); shift ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "build-image: unknown argument: $1 (try --help)" >&2
        exit 2
        ;;
    esac
done

log() { echo "build-image: $*" >&2; }
die() {
    log "$*"
    exit 1
}

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cache=${SPAWNWATCH_CACHE:-/var/cache/spawnwatch-deploy}

[ -f "$jar" ] || die "no jar at $jar: run make first, or pass --jar PATH"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[ -x "$JAVA_HOME/bin/jlink" ] || die "no jlink in JAVA_HOME=$JAVA_HOME: set JAVA_HOME to a JDK 25"
java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release")
case "$java_version" in
2[5-9]* | [3-9][0-9]*) ;;
*) die "JAVA_HOME=$JAVA_HOME is Java $java_version; the sensor needs 25 or later" ;;
esac
command -v podman >/dev/null || die "podman not found: run deploy/install-build-deps.sh"
command -v unzip >/dev/null || die "unzip not found: run deploy/install-build-deps.sh"

version=$(unzip -p "$jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: //p')
version=${version:-dev}
tag=${tag:-localhost/spawnwatch:$version}
revision=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

start=$(date +%s)

# The module list: included modules, and those left out on purpose ("!name").
modules_file="$here/java-modules"
module_lines=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$modules_file" | grep -v '^$')
modules=$(printf '%s\n' "$module_lines" | grep -v '^!' | paste -sd, -)
excluded=$(printf '%s\n' "$module_lines" | sed -n 's/^!//p' | paste -sd, -)

# What the jar's classes use. Modules reached only by reflection or services
# are not seen here; they are in the list for the reasons given there.
jdeps_out=$("$JAVA_HOME/bin/jdeps" --multi-release "${java_version%%.*}" --ignore-missing-deps \
    --list-deps "$jar" 2>&1) || {
    printf '%s\n' "$jdeps_out" >&2
    die "jdeps failed on $jar"
}
unknown=""
for m in $(printf '%s\n' "$jdeps_out" | sed -e 's/^[[:space:]]*//' -e 's#/.*##' | sort -u); do
    case ",$modules,$excluded," in
    *",$m,"*) ;;
    *) unknown="$unknown $m" ;;
    esac
done
if [ -n "$unknown" ]; then
    printf '%s\n' "$jdeps_out" >&2
    die "jdeps: the jar uses modules that deploy/java-modules neither includes nor excludes:$unknown; add each (or exclude it with \"!name\" and a reason)"
fi

# The runtime, cached by what makes it. --strip-java-debug-attributes rather
# than --strip-debug, which on Linux also runs objcopy over libraries that
# Temurin ships stripped already: same bytes, one tool less. Keep these options
# in step with deploy/Containerfile.
jlink_opts="--strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6"
jre_key=$( (cat "$JAVA_HOME/release"; echo "$modules"; echo "$jlink_opts") | sha256sum | cut -c1-12)
jre="$cache/jre-$java_version-$jre_key"
if [ -x "$jre/bin/java" ]; then
    log "reusing the Java runtime $jre"
else
    log "jlink $modules"
    mkdir -p "$cache"
    rm -rf "$jre.tmp"
    # shellcheck disable=SC2086 # jlink_opts is a list of options
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" $jlink_opts --output "$jre.tmp"
    mv "$jre.tmp" "$jre"
fi

base=$("$here/build-base.sh" "${base_args[@]}")

work=$(mktemp -d "${TMPDIR:-/var/tmp}/spawnwatch-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$jre" "$work/jre"
install -m 0755 "$here/image/spawnwatch" "$work/spawnwatch"
install -m 0644 "$jar" "$work/spawnwatch.jar"

log "podman build $tag from $base"
previous=$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
podman build --quiet --pull=never -f "$here/Containerfile.local" \
    --build-arg BASE="$base" --build-arg VERSION="$version" --build-arg REVISION="$revision" \
    -t "$tag" "$work" >/dev/null
# The image this tag named before would stay behind untagged, one per build.
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$tag")" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
fi
size=$(podman image inspect --format '{{.Size}}' "$tag")
log "built $tag ($((size / 1000000)) MB, base $base) in $(($(date +%s) - start)) s"
echo "$tag"
