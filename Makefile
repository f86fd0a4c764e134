# spawnwatch build. Everything goes to build/; see README.md for the targets.
#
#   make            BPF object + jar + launcher build/spawnwatch (+ its JDK AOT cache, as root)
#   make run        set up this host, build, run the sensor in the foreground
#   make test       set up this host, build, run every test (kernel tests too)
#   make bench      run the benchmarks (benchmarks/)
#   make image      build the container image (deploy/)
#   make bindings   regenerate the jextract libbpf bindings ($JEXTRACT)

JAVA_HOME ?= /usr/lib/jvm/temurin-25-jdk-amd64
export JAVA_HOME
MVN ?= mvn -B -q
CLANG ?= clang
BPFTOOL ?= bpftool
BUILD := build
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VERSION := 0.1.0-SNAPSHOT

CONTRACT := bpf/spawnwatch.h
BPF_OBJ := $(BUILD)/bpf/spawnwatch.bpf.o
PROBES_OBJ := $(BUILD)/bpf/probes.bpf.o
LAYOUT_TABLE := $(BUILD)/bpf/layout.txt
JAR := java/target/spawnwatch-$(VERSION).jar
FLEET_JAR := fleet/target/spawnwatch-fleet-$(VERSION).jar
FLEET_SOURCES := $(shell find fleet/src/main -type f 2>/dev/null) fleet/pom.xml pom.xml
LAUNCHER := $(BUILD)/spawnwatch
JAVA_SOURCES := $(shell find java/src/main -type f 2>/dev/null) $(wildcard rules/*.yml) java/pom.xml pom.xml

.DELETE_ON_ERROR:
.PHONY: all run test unit-test bench bindings setup clean image image-test

all: $(LAUNCHER)

# vmlinux.h comes from the running kernel's BTF; it is never committed.
$(BUILD)/bpf/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

# The contract header is named explicitly: editing it rebuilds the object.
$(BPF_OBJ): bpf/spawnwatch.bpf.c $(CONTRACT) $(BUILD)/bpf/vmlinux.h
	$(CLANG) -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) \
		-I$(BUILD)/bpf -Ibpf -c $< -o $@

# Tiny programs the loader attaches alone to pick each fallback chain's hook.
$(PROBES_OBJ): bpf/probes.bpf.c $(BUILD)/bpf/vmlinux.h
	$(CLANG) -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) \
		-I$(BUILD)/bpf -Ibpf -c $< -o $@

# A table of C offsets, compared with the Java descriptors by RecordLayoutTest.
$(LAYOUT_TABLE): bpf/layout_table.c $(CONTRACT)
	@mkdir -p $(dir $@)
	$(CC) -O0 -Wall -Ibpf $< -o $(BUILD)/bpf/layout_table
	$(BUILD)/bpf/layout_table > $@

$(JAR): $(BPF_OBJ) $(PROBES_OBJ) $(LAYOUT_TABLE) $(JAVA_SOURCES) java/check-jar.sh
	$(MVN) -pl java -am package -DskipTests
	java/check-jar.sh $@

# The fleet job (`spawnwatch fleet`): its own jar, so the sensor's carries no Kafka Streams or RocksDB.
$(FLEET_JAR): $(FLEET_SOURCES)
	$(MVN) -pl fleet -am package -DskipTests

$(LAUNCHER): $(JAR) $(FLEET_JAR) java/spawnwatch.sh java/aot-train.sh
	@mkdir -p $(dir $@)
	cp $(JAR) $(BUILD)/spawnwatch.jar
	cp $(FLEET_JAR) $(BUILD)/spawnwatch-fleet.jar
	install -m 0755 java/spawnwatch.sh $@
	java/aot-train.sh $(BUILD)

# Installs what the sensor and the tests need on a fresh Debian host (only
# what is missing) and mounts tracefs and bpffs when they are not.
setup:
	@.ci/setup-host

run: setup $(LAUNCHER)
	$(LAUNCHER) run --events

test: setup $(BPF_OBJ) $(PROBES_OBJ) $(LAYOUT_TABLE)
	mvn -B install
	java/check-jar.sh $(JAR)
	$(MAKE) image-test

unit-test: $(BPF_OBJ) $(PROBES_OBJ) $(LAYOUT_TABLE)
	mvn -B install -Dgroups='!kernel'

bench: setup $(LAUNCHER)
	benchmarks/run.sh

# The container image, built without an image registry (deploy/README.md).
IMAGE ?= localhost/spawnwatch:$(VERSION)
image: $(LAUNCHER)
	deploy/build-image.sh --jar $(BUILD)/spawnwatch.jar --tag $(IMAGE)

# Runs the image against this host's kernel; prints SKIP and the reason (and
# succeeds) only when podman cannot run a privileged container here.
image-test: $(LAUNCHER)
	deploy/test-image.sh --jar $(BUILD)/spawnwatch.jar

bindings:
	rm -rf java/src/main/java/io/spawnwatch/libbpf/jextract
	$(JEXTRACT) --target-package io.spawnwatch.libbpf.jextract --header-class-name LibBpf \
		--library :libbpf.so.1 --output java/src/main/java \
		@native/jextract-includes.txt native/libbpf_api.h

clean:
	rm -rf $(BUILD) java/target fleet/target kafka-testkit/target benchmarks/target target
