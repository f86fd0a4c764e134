package io.spawnwatch.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incidents.* commands' arguments, checked before the sensor is asked. */
class IncidentCommandsTest {
    @TempDir
    Path dir;

    private ControlServer server;
    private LineClient client;

    @BeforeEach
    void start() throws Exception {
        server = ControlServer.start(ControlServer.Options.defaults().withSocket(dir.resolve("sw.sock")),
                new FakeSensorControl(), new SubscriberHub(SubscriberHub.Options.defaults()));
        client = new LineClient(server.socket());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void shouldRefuseAShowWithoutAnIdOrWithABadOne() throws Exception {
        assertEquals("{\"v\":1,\"id\":1,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.id is required:"
                + " the incident's number, as `spawnwatch incidents` shows it\"}}",
                client.call("{\"v\":1,\"id\":1,\"cmd\":\"incidents.show\"}"));
        assertEquals("{\"v\":1,\"id\":2,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.id=0 is out of"
                + " range: expected 1 to 9223372036854775807\"}}",
                client.call("{\"v\":1,\"id\":2,\"cmd\":\"incidents.show\",\"args\":{\"id\":0}}"));
        assertEquals("{\"v\":1,\"id\":3,\"error\":{\"code\":\"not_found\",\"message\":\"no incident with id 5;"
                + " `spawnwatch incidents` lists them\"}}",
                client.call("{\"v\":1,\"id\":3,\"cmd\":\"incidents.show\",\"args\":{\"id\":5}}"));
    }

    @Test
    void shouldRefuseABadDurationAndListTheRecentOnes() throws Exception {
        assertEquals("{\"v\":1,\"id\":4,\"error\":{\"code\":\"invalid_argument\",\"message\":\"args.since: 'soon'"
                + " is not a duration: use e.g. 30s, 15m, 2h, 1d, 2w or 1h30m\"}}",
                client.call("{\"v\":1,\"id\":4,\"cmd\":\"incidents.list\",\"args\":{\"since\":\"soon\"}}"));
        assertEquals("{\"v\":1,\"id\":5,\"ok\":true,\"result\":{\"incidents\":[]}}",
                client.call("{\"v\":1,\"id\":5,\"cmd\":\"incidents.list\",\"args\":{\"since\":\"2h\"}}"));
    }
}
