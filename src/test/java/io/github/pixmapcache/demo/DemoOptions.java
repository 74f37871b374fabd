package io.github.pixmapcache.demo;

/**
 * The demo's command-line options, each given as {@code --name value}; an option not given keeps
 * its default.
 *
 * @param requests tile requests in all, shared among the threads
 * @param threads worker threads
 * @param budgetMib the cache's byte budget in MiB
 * @param seed the seed of the request stream; the same seed gives every thread the same requests
 */
record DemoOptions(int requests, int threads, int budgetMib, long seed) {
    static final DemoOptions DEFAULTS = new DemoOptions(20_000, 4, 64, 42);

    static final String USAGE = """
            usage: CacheDemo [--requests N] [--threads T] [--budget-mib M] [--seed S]
              --requests N     tile requests in all, 1 to 1000000000 (default %d)
              --threads T      worker threads, 1 to 256 (default %d)
              --budget-mib M   cache budget in MiB, 1 to 1048576 (default %d)
              --seed S         seed of the request stream, any long (default %d)"""
            .formatted(DEFAULTS.requests, DEFAULTS.threads, DEFAULTS.budgetMib, DEFAULTS.seed);

    /**
     * The options in {@code args}.
     *
     * @throws IllegalArgumentException naming the option and the value, if an option is unknown,
     *     lacks its value, or its value is not a number in range
     */
    static DemoOptions parse(String... args) {
        DemoOptions options = DEFAULTS;
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(name.startsWith("--")
                        ? name + " needs a value" : "unexpected argument '" + name + "'");
            }
            String value = args[i + 1];
            options = switch (name) {
                case "--requests" -> options.withRequests(intIn(name, value, 1, 1_000_000_000));
                case "--threads" -> options.withThreads(intIn(name, value, 1, 256));
                case "--budget-mib" -> options.withBudgetMib(intIn(name, value, 1, 1 << 20));
                case "--seed" -> options.withSeed(parseLong(name, value, "an integer"));
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            };
        }
        return options;
    }

    /** The budget in bytes. */
    long budgetBytes() {
        return (long) budgetMib << 20;
    }

    private DemoOptions withRequests(int value) {
        return new DemoOptions(value, threads, budgetMib, seed);
    }

    private DemoOptions withThreads(int value) {
        return new DemoOptions(requests, value, budgetMib, seed);
    }

    private DemoOptions withBudgetMib(int value) {
        return new DemoOptions(requests, threads, value, seed);
    }

    private DemoOptions withSeed(long value) {
        return new DemoOptions(requests, threads, budgetMib, value);
    }

    private static int intIn(String name, String value, int min, int max) {
        long parsed = parseLong(name, value, "an integer from " + min + " to " + max);
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(
                    name + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
        }
        return (int) parsed;
    }

    private static long parseLong(String name, String value, String expected) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + expected + ", got '" + value + "'", e);
        }
    }
}
