package io.spawnwatch.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OwnArgumentsTest {

    @Test
    void shouldStopAtTheModuleTheScriptOrTheMainClass() {
        assertEquals("python3 -m gunicorn", OwnArguments.of(List.of("python3", "-m", "gunicorn", "app:app")));
        assertEquals("python3 -m pip", OwnArguments.of(List.of("python3", "-m", "pip", "download", "gunicorn")));
        assertEquals("python3 -u manage.py", OwnArguments.of(List.of("python3", "-u", "manage.py", "runserver")));
        assertEquals("java -Dcatalina.base=/srv/t -cp bootstrap.jar org.apache.catalina.startup.Bootstrap",
                OwnArguments.of(List.of("java", "-Dcatalina.base=/srv/t", "-cp", "bootstrap.jar",
                        "org.apache.catalina.startup.Bootstrap", "start")));
        assertEquals("java -Xmx1g -jar jenkins.war", OwnArguments.of(List.of("java", "-Xmx1g", "-jar", "jenkins.war",
                "--httpPort=8080")));
        assertEquals("ruby -I lib bin/rails", OwnArguments.of(List.of("ruby", "-I", "lib", "bin/rails", "server")));
    }

    @Test
    void shouldTreatInlineCodeAsTheProgramAndKeepShortCommandLines() {
        assertEquals("python3 -c print(1)", OwnArguments.of(List.of("python3", "-c", "print(1)", "gunicorn")));
        assertEquals("perl -e 1", OwnArguments.of(List.of("perl", "-e", "1", "starman")));
        assertEquals("node", OwnArguments.of(List.of("node")));
        assertEquals("python3 -u", OwnArguments.of(List.of("python3", "-u")));
        assertEquals(0, OwnArguments.count(List.of()));
    }
}
