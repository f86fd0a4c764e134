package io.spawnwatch.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromium, headless, driven over the DevTools protocol: opens a
 * page, collects every console error, uncaught exception and browser log
 * error (a CSP violation, a blocked load), returns the DOM as the browser
 * parsed it, and takes a screenshot.
 *
 * <p>Its own empty profile (--user-data-dir in a temporary directory), the
 * DevTools endpoint on 127.0.0.1 only, an ephemeral port, every host name
 * resolving to nothing: the page cannot reach the network even if it tried,
 * and its trying would show up as a log error.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch loaded = new CountDownLatch(1);

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts chromium with a window of {@code width} x {@code height} CSS pixels. */
    public static HeadlessChromium start(int width, int height) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError(CHROMIUM + " is missing: install Debian's chromium (.ci/setup-host does)");
        }
        Path profile = Files.createTempDirectory("sw-chromium-");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserUrl = awaitListening(p);
        try {
            URI browser = URI.create(browserUrl);
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://"
                    + browser.getAuthority() + "/json/list")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String pageUrl = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    pageUrl = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageUrl == null) {
                throw new AssertionError("chromium shows no page target: " + targets);
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            Listener listener = new Listener(self);
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(URI.create(pageUrl), listener)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, profile, ws);
            self[0].call("Page.enable", JSON.createObjectNode());
            self[0].call("Runtime.enable", JSON.createObjectNode());
            self[0].call("Log.enable", JSON.createObjectNode());
            return self[0];
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String awaitListening(Process p) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (err.readLine() != null) {
                            // keep chromium's stderr pipe from filling up
                        }
                    } catch (IOException e) {
                        // chromium exited
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
            seen.append(line).append('\n');
        }
        p.destroyForcibly();
        throw new AssertionError("chromium did not open its DevTools endpoint; stderr:\n" + seen);
    }

    /** Loads {@code page} and waits for its load event. */
    public void open(Path page) throws Exception {
        loaded = new CountDownLatch(1);
        events.clear();
        ObjectNode params = JSON.createObjectNode().put("url", page.toUri().toString());
        JsonNode r = call("Page.navigate", params);
        if (r.has("errorText")) {
            throw new AssertionError("chromium could not open " + page + ": " + r);
        }
        if (!loaded.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("chromium: no load event for " + page + " within " + WAIT);
        }
        Thread.sleep(300); // late console messages and log entries
    }

    /** Console errors and assertions, uncaught exceptions, and browser log errors since {@link #open}. */
    public List<String> errors() {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (JsonNode e : events) {
                String method = e.path("method").asText();
                JsonNode p = e.path("params");
                switch (method) {
                    case "Runtime.consoleAPICalled" -> {
                        String type = p.path("type").asText();
                        if (type.equals("error") || type.equals("assert") || type.equals("warning")) {
                            out.add("console." + type + ": " + p.path("args"));
                        }
                    }
                    case "Runtime.exceptionThrown" -> out.add("exception: " + p.path("exceptionDetails"));
                    case "Log.entryAdded" -> {
                        String level = p.path("entry").path("level").asText();
                        if (level.equals("error") || level.equals("warning")) {
                            out.add("log." + level + ": " + p.path("entry").path("text").asText() + " "
                                    + p.path("entry").path("url").asText());
                        }
                    }
                    default -> { }
                }
            }
        }
        return out;
    }

    /** The DOM as the browser holds it, serialised (what --dump-dom prints). */
    public String dom() throws Exception {
        JsonNode doc = call("DOM.getDocument", JSON.createObjectNode().put("depth", 0));
        int root = doc.path("root").path("nodeId").asInt();
        return call("DOM.getOuterHTML", JSON.createObjectNode().put("nodeId", root)).path("outerHTML").asText();
    }

    /** A PNG of the window (what a reader sees first), written to {@code file}. */
    public void screenshot(Path file) throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(JSON.writeValueAsString(msg), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError("chromium: " + method + " failed: " + r.path("error"));
        }
        return r.path("result");
    }

    private void onMessage(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        events.add(m);
        if ("Page.loadEventFired".equals(m.path("method").asText())) {
            loaded.countDown();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final HeadlessChromium[] self;
        private final StringBuilder partial = new StringBuilder();

        Listener(HeadlessChromium[] self) {
            this.self = self;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    // Messages before the constructor returned are answers to nothing yet sent.
                    if (self[0] != null) {
                        self[0].onMessage(m);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("chromium sent a message that is not JSON", e);
                } finally {
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        // Its helpers (zygote, renderer, GPU) too: they write into the profile until they exit.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : helpers) {
            h.destroy();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
