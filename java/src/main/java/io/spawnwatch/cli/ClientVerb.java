package io.spawnwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A verb that sends one command to the running sensor. Subclasses build the
 * arguments and print the result; output goes only through the command line's
 * writers, so tests capture it.
 */
abstract class ClientVerb implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static ObjectNode args() {
        return JSON.createObjectNode();
    }

    /** Connects, sends {@code cmd} and returns the result. */
    JsonNode call(String cmd, ObjectNode args) throws ClientException {
        try (ControlClient c = ControlClient.connect(client.socket)) {
            return c.call(cmd, args);
        }
    }

    /** Calls and prints: the raw result with --json, else what {@code human} prints. */
    int callAndPrint(String cmd, ObjectNode args, HumanPrinter human) throws ClientException {
        JsonNode result = call(cmd, args);
        if (client.json) {
            printJson(result);
        } else {
            human.print(result, out());
        }
        out().flush();
        return ExitCodes.OK;
    }

    void printJson(JsonNode node) {
        try {
            out().println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface HumanPrinter {
        void print(JsonNode result, PrintWriter out);
    }
}
