package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the flag and environment parser ({@link ConfigParser#parse}). The input is text, one
 * argument a line; a line {@code TILES_NAME=value} is an environment variable instead (the seeds
 * are real command lines from the docs and tests, so the fuzzer starts from real flags). It returns a config (or
 * nothing, for {@code --help}), or throws {@link IllegalArgumentException}, which
 * {@link TileServerMain} prints and turns into exit status 2, whose message names a flag or value
 * it was given. Anything else (a {@code NumberFormatException} is one of them, but an
 * {@code ArithmeticException} or a {@code NullPointerException} is not) would kill the server
 * with a stack trace and status 1: a finding.
 */
class ConfigParserFuzzTest {
    private static final ConfigParser.Option[] OPTIONS = ConfigParser.Option.values();

    @FuzzTest(maxDuration = "10m")
    void flagsAndEnvironment(byte[] input) {
        Map<String, String> environment = new HashMap<>();
        List<String> args = new ArrayList<>();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n", -1)) {
            int equals = line.indexOf('=');
            if (line.startsWith("TILES_") && equals > 0) {
                environment.put(line.substring(0, equals), line.substring(equals + 1));
            } else {
                args.add(line);
            }
        }
        try {
            ConfigParser.parse(args, environment);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            assertTrue(message != null && namesSomethingGiven(message, args, environment),
                    "the error must name the flag or the value: " + message + " for " + args + " " + environment);
        } catch (RuntimeException e) {
            fail("not an IllegalArgumentException (exit status 2) for " + args + " " + environment, e);
        }
    }

    private static boolean namesSomethingGiven(String message, List<String> args, Map<String, String> environment) {
        for (ConfigParser.Option option : OPTIONS) {
            if (message.contains("--" + option.flag) || message.contains(option.environmentVariable())) {
                return true;
            }
            // A setting checked after parsing ("port must be in 0..65535: -90") is named by its flag's word.
            boolean given = environment.containsKey(option.environmentVariable())
                    || args.stream().anyMatch(arg -> arg.equals("--" + option.flag) || arg.startsWith("--" + option.flag + "="));
            if (given && message.toLowerCase(java.util.Locale.ROOT).startsWith(option.flag.replace('-', ' '))) {
                return true;
            }
        }
        for (String given : args) {
            // --name=value is named by its flag; a value by its text as parsed, without surrounding whitespace
            String name = given.indexOf('=') > 0 ? given.substring(0, given.indexOf('=')) : given.strip();
            if (message.contains("'" + given + "'") || !name.isEmpty() && message.contains(name)) {
                return true;
            }
        }
        return environment.values().stream().anyMatch(value -> !value.strip().isEmpty() && message.contains(value.strip()));
    }
}
