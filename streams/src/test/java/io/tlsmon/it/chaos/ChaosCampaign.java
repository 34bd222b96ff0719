package io.tlsmon.it.chaos;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault campaign of issue 8: {@code runs} runs of {@link ChaosRun}, seeds {@code seed},
 * {@code seed+1}, ..., and a Markdown report of them (machine, command, one row per run, every
 * fault with its time to recover). {@code benchmarks/chaos.sh} runs it with 20 runs;
 * {@code ChaosCampaignIT} runs one short run in {@code mvn verify}.
 *
 * <pre>
 * ChaosCampaign [--runs N] [--seed S] [--singles N] [--doubles N] [--pauses N] [--wipes N]
 *               [--rate LINES_PER_S] [--dir DIR] [--report FILE] [--command TEXT]
 * </pre>
 * Exit 0 when every run counted 0 lost and 0 duplicated and the same alerts as the reference, else 1.
 */
public final class ChaosCampaign {
    record Options(int runs, long seed, int singles, int doubles, int pauses, int wipes, int rate, Path dir, Path report, String command) {
        static Options defaults() {
            return new Options(1, System.currentTimeMillis(), 3, 1, 1, 1, 150, Path.of("target", "chaos"),
                    Path.of("target", "chaos", "chaos.md"), "");
        }

        Options with(String flag, String value) {
            return switch (flag) {
                case "--runs" -> new Options(Integer.parseInt(value), seed, singles, doubles, pauses, wipes, rate, dir, report, command);
                case "--seed" -> new Options(runs, Long.parseLong(value), singles, doubles, pauses, wipes, rate, dir, report, command);
                case "--singles" -> new Options(runs, seed, Integer.parseInt(value), doubles, pauses, wipes, rate, dir, report, command);
                case "--doubles" -> new Options(runs, seed, singles, Integer.parseInt(value), pauses, wipes, rate, dir, report, command);
                case "--pauses" -> new Options(runs, seed, singles, doubles, Integer.parseInt(value), wipes, rate, dir, report, command);
                case "--wipes" -> new Options(runs, seed, singles, doubles, pauses, Integer.parseInt(value), rate, dir, report, command);
                case "--rate" -> new Options(runs, seed, singles, doubles, pauses, wipes, Integer.parseInt(value), dir, report, command);
                case "--dir" -> new Options(runs, seed, singles, doubles, pauses, wipes, rate, Path.of(value), report, command);
                case "--report" -> new Options(runs, seed, singles, doubles, pauses, wipes, rate, dir, Path.of(value), command);
                case "--command" -> new Options(runs, seed, singles, doubles, pauses, wipes, rate, dir, report, value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        }
    }

    private ChaosCampaign() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.defaults();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o = o.with(args[i], args[i + 1]);
        }
        List<ChaosRun.Result> results = run(o);
        System.exit(results.stream().allMatch(ChaosRun.Result::passed) ? 0 : 1);
    }

    static List<ChaosRun.Result> run(Options o) throws Exception {
        List<ChaosRun.Result> results = new ArrayList<>();
        String machine = machine();
        Instant started = Instant.now();
        for (int i = 0; i < o.runs(); i++) {
            long seed = o.seed() + i;
            ChaosRun.Plan plan = new ChaosRun.Plan(seed, o.singles(), o.doubles(), o.pauses(), o.wipes(), o.rate());
            Path runDir = o.dir().resolve("run-" + (i + 1) + "-seed-" + seed);
            ChaosRun.deleteRecursively(runDir);
            ChaosRun.Result r = new ChaosRun(plan, runDir).run();
            results.add(r);
            if (r.passed()) {
                // the logs stay for a look; the data (broker logs, stores, mail logs) is large and done with
                for (String data : List.of("broker-1/data", "broker-2/data", "broker-3/data", "streams-1-state", "streams-2-state", "logs")) {
                    ChaosRun.deleteRecursively(runDir.resolve(data));
                }
            }
            // written after every run, so that an interrupted campaign still leaves its table
            Files.createDirectories(o.report().toAbsolutePath().getParent());
            Files.writeString(o.report(), report(o, machine, started, results), StandardCharsets.UTF_8);
        }
        return results;
    }

    static String report(Options o, String machine, Instant started, List<ChaosRun.Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("# Fault campaign: exactly once through kills, pauses and wiped state\n\n");
        b.append("Issue 8, item 1. Written by `io.tlsmon.it.chaos.ChaosCampaign` (streams/src/test/java/io/tlsmon/it/chaos). What the "
                + "campaign found, how it was checked that it catches loss and duplication, and what it does not show: "
                + "[chaos-findings.md](chaos-findings.md).\n\n");
        b.append("## Machine\n\n").append(machine).append('\n');
        b.append("## Command\n\n```\n").append(o.command().isEmpty() ? "ChaosCampaign" : o.command()).append("\n```\n\n");
        b.append(String.format(Locale.ROOT, "Runs: %d, seeds %d to %d; per run %d single kills (at least one shipper, one Streams instance and one broker), "
                        + "%d wipe(s), %d pause(s), then %d kill(s) of two processes at once; logs written at %d lines/s. Started %s.%n%n",
                o.runs(), o.seed(), o.seed() + o.runs() - 1, o.singles(), o.wipes(), o.pauses(), o.doubles(), o.rate(),
                started.truncatedTo(ChronoUnit.SECONDS)));
        b.append("""
                Every run: three KRaft brokers (each broker and controller, static quorum), separate JVMs, replication factor 3 and
                `min.insync.replicas=2` for every topic; two `tlsmon run` instances (`processing.guarantee=exactly_once_v2`, one stream
                thread, session timeout 10 s); two `tlsmon ship` processes, one following a Postfix `mail.log` (rotated by turns with
                rename-and-create and copytruncate) and one an Exchange protocol-log folder (receive and send logs, a new file at a size
                limit, the oldest deleted by circular logging once shipped); the schema registry in the campaign's JVM on a loopback port.
                Faults strike at random moments: SIGKILL and restart (after 0.5-5 s), SIGSTOP past the session timeout then SIGCONT
                (a Streams instance past its 10 s group session, a broker past its 9 s session with the controller; every third pause a
                shipper, past its 60 s transaction timeout),
                SIGKILL with the local state (Streams state dir or shipper checkpoint) deleted before the restart, and two processes
                SIGKILLed at once. At the end every count is made with read_committed consumers against the input: the lines written
                to the log files against raw-lines (as multisets, per host), and the committed attempts, alerts and dead letters
                against the offline engine run over the committed raw-lines in the order the topology read them (the uninterrupted
                reference: same attempts, same alert ids, every field, same order).

                Columns: kills counts processes SIGKILLed by kind, shipper/Streams/broker (wipes and two-at-once included); rotations
                rename-and-create/copytruncate/circular deletions; lost = expected and not committed, dup = committed more often than
                expected (a record differing in any field counts as one of each); order = committed alerts and attempts in the
                reference's order; recovery = from the restart (or SIGCONT) until the process was back at work (broker: registered and
                every partition's ISR whole again; Streams: RUNNING again; shipper: a new line of its host committed), median and
                max over the run's faults; gap = longest time without new committed attempts while faults were injected; drain =
                from the writers' stop until the output was complete.

                """);
        b.append("| run | seed | kills ship/streams/broker | two at once | pauses | wipes | rotations r/c/d | lines | lost | dup "
                + "| attempts | lost | dup | alerts | lost | dup | dead letters | lost | dup | order | recovery median/max (s) "
                + "| gap (s) | drain (s) | run (s) |\n");
        b.append("|" + "---|".repeat(24) + "\n");
        long[] totals = new long[16];
        for (int i = 0; i < results.size(); i++) {
            ChaosRun.Result r = results.get(i);
            Map<Child.Kind, Integer> k = r.killsByKind();
            Map<ChaosRun.FaultKind, Integer> f = r.faults();
            Map<MailLogs.Rotation, Integer> rot = r.rotations();
            List<Double> rec = r.faultLog().stream().map(ChaosRun.FaultRecord::recoverySeconds).sorted().toList();
            boolean unrecovered = rec.stream().anyMatch(x -> x < 0);
            List<Double> ok = rec.stream().filter(x -> x >= 0).toList();
            String recovery = ok.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f / %.1f%s", ok.get(ok.size() / 2), ok.get(ok.size() - 1),
                    unrecovered ? " (+" + (rec.size() - ok.size()) + " not)" : "");
            b.append(String.format(Locale.ROOT, "| %d | %d | %d/%d/%d | %d | %d | %d | %d/%d/%d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s | %.0f | %.0f | %.0f |%n",
                    i + 1, r.plan().seed(),
                    k.getOrDefault(Child.Kind.SHIPPER, 0), k.getOrDefault(Child.Kind.STREAMS, 0), k.getOrDefault(Child.Kind.BROKER, 0),
                    f.getOrDefault(ChaosRun.FaultKind.KILL_TWO, 0), f.getOrDefault(ChaosRun.FaultKind.PAUSE, 0), f.getOrDefault(ChaosRun.FaultKind.WIPE, 0),
                    rot.getOrDefault(MailLogs.Rotation.RENAME_AND_CREATE, 0), rot.getOrDefault(MailLogs.Rotation.COPYTRUNCATE, 0),
                    rot.getOrDefault(MailLogs.Rotation.CIRCULAR_DELETE, 0),
                    r.lines().expected(), r.lines().lost(), r.lines().duplicated(),
                    r.attempts().expected(), r.attempts().lost(), r.attempts().duplicated(),
                    r.alerts().expected(), r.alerts().lost(), r.alerts().duplicated(),
                    r.deadLetters().expected(), r.deadLetters().lost(), r.deadLetters().duplicated(),
                    r.alertsInOrder() && r.attemptsInOrder() ? "same" : "DIFFERENT", recovery,
                    r.longestOutputGapSeconds(), r.drainSeconds(), r.runSeconds()));
            long[] row = {k.getOrDefault(Child.Kind.SHIPPER, 0), k.getOrDefault(Child.Kind.STREAMS, 0), k.getOrDefault(Child.Kind.BROKER, 0),
                    f.getOrDefault(ChaosRun.FaultKind.KILL_TWO, 0), f.getOrDefault(ChaosRun.FaultKind.PAUSE, 0), f.getOrDefault(ChaosRun.FaultKind.WIPE, 0),
                    r.lines().expected(), r.lines().lost(), r.lines().duplicated(), r.attempts().expected(), r.attempts().lost(),
                    r.attempts().duplicated(), r.alerts().expected(), r.alerts().lost(), r.alerts().duplicated(), r.passed() ? 0 : 1};
            for (int j = 0; j < totals.length; j++) {
                totals[j] += row[j];
            }
        }
        b.append(String.format(Locale.ROOT, "| **all** | | %d/%d/%d | %d | %d | %d | | %d | %d | %d | %d | %d | %d | %d | %d | %d | | | | %s | | | | |%n%n",
                totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7], totals[8], totals[9], totals[10],
                totals[11], totals[12], totals[13], totals[14], totals[15] == 0 ? "all pass" : totals[15] + " FAILED"));
        b.append("## Every fault\n\n");
        for (int i = 0; i < results.size(); i++) {
            ChaosRun.Result r = results.get(i);
            b.append("Run ").append(i + 1).append(" (seed ").append(r.plan().seed()).append(r.passed() ? "" : ", FAILED: see " + r.dir())
                    .append("):\n");
            for (ChaosRun.FaultRecord f : r.faultLog()) {
                b.append("- ").append(f).append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String machine() {
        StringBuilder b = new StringBuilder();
        b.append("- CPU: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(firstLine("/proc/cpuinfo", "model name")).append('\n');
        b.append("- memory: ").append(firstLine("/proc/meminfo", "MemTotal")).append('\n');
        b.append("- load average at start: ").append(read("/proc/loadavg")).append(" (the machine is shared with other builds)\n");
        b.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append(' ')
                .append(System.getProperty("os.arch")).append('\n');
        b.append("- JVM: ").append(ManagementFactory.getRuntimeMXBean().getVmName()).append(' ').append(System.getProperty("java.version")).append('\n');
        b.append("- Kafka ").append(org.apache.kafka.common.utils.internals.AppInfoParser.getVersion()).append(" (brokers, clients and Streams)\n");
        return b.toString();
    }

    private static String firstLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
