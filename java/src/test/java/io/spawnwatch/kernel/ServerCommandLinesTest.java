package io.spawnwatch.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCommandLinesTest {
    private final ServerCommandLines lines = new ServerCommandLines(List.of("org.apache.catalina", "gunicorn",
            "manage.py runserver"));

    @Test
    void shouldFindTheFragmentAnywhereInTheCommandLine() {
        assertEquals("org.apache.catalina", lines.find(
                "/usr/bin/java -Dcatalina.base=/var/lib/tomcat9 org.apache.catalina.startup.Bootstrap start"));
        assertEquals("gunicorn", lines.find("/usr/bin/python3 -m gunicorn app:app"));
        assertEquals("manage.py runserver", lines.find("python3 manage.py runserver 0.0.0.0:8000"));
    }

    @Test
    void shouldIgnoreInterpretersThatServeNothing() {
        assertNull(lines.find("/usr/bin/python3 /usr/bin/unattended-upgrade"));
        assertNull(lines.find("java -jar build.jar"));
        assertNull(lines.find(""));
        assertNull(lines.find("gunicor"));
    }
}
