package io.spawnwatch.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContainerIdsTest {
    private static final String ID = "3f4e1b2c9d8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291807f6e";

    @Test
    void shouldFindDockerSystemdScopeIds() {
        assertEquals(ID, ContainerIds.parse("0::/system.slice/docker-" + ID + ".scope\n"));
    }

    @Test
    void shouldFindPodmanLibpodIds() {
        assertEquals(ID, ContainerIds.parse("0::/machine.slice/libpod-" + ID + ".scope/container\n"));
    }

    @Test
    void shouldFindKubepodsContainerdIds() {
        assertEquals(ID, ContainerIds.parse(
                "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-pod1.slice/cri-containerd-" + ID + ".scope\n"));
    }

    @Test
    void shouldFindCgroupfsDockerIds() {
        assertEquals(ID, ContainerIds.parse("12:memory:/docker/" + ID + "\n"));
    }

    @Test
    void shouldReturnEmptyForHostProcesses() {
        assertEquals("", ContainerIds.parse("0::/user.slice/user-0.slice/session-1.scope\n"));
        assertEquals("", ContainerIds.parse("0::/\n"));
    }
}
