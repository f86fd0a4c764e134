package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding the cgroup v2 root in mountinfo lines (proc(5)) of the three host shapes. */
class CgroupRootTest {
    @Test
    void shouldFindTheUnifiedHierarchy() {
        assertEquals("/sys/fs/cgroup", CgroupRoot.find(List.of(
                "22 27 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
                "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw")));
    }

    @Test
    void shouldFindTheV2MountOfAHybridHost() {
        assertEquals("/sys/fs/cgroup/unified", CgroupRoot.find(List.of(
                "31 24 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw")));
    }

    @Test
    void shouldIgnoreV1OnlyHostsAndMountsOfASubtree() {
        assertNull(CgroupRoot.find(List.of("32 31 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu")));
        assertNull(CgroupRoot.find(List.of(
                "50 24 0:26 /system.slice /mnt/cg rw,relatime - cgroup2 cgroup2 rw", "garbage line")));
    }
}
