package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The Markdown of a {@link FramingComparison} run: what ran, a summary per client, a row per case, and the clients'
 * messages. Not thread-safe; used once.
 */
final class FramingReport {

    /** What the run was: for the report's head. */
    record Context(String corpus, String date, Map<String, String> versions, String command, Duration timeout,
            Duration watchdog, long pauseMillis, double seconds) {
    }

    private final List<FramingClient.Kind> kinds;
    private final Map<FramingCorpus.Case, Map<FramingClient.Kind, Outcome>> results;

    FramingReport(List<FramingClient.Kind> kinds, Map<FramingCorpus.Case, Map<FramingClient.Kind, Outcome>> results) {
        this.kinds = kinds;
        this.results = results;
    }

    String markdown(Context context) {
        StringBuilder md = new StringBuilder();
        long reuse = count(c -> c.verdict() == FramingCorpus.Verdict.REUSE);
        long close = count(c -> c.verdict() == FramingCorpus.Verdict.CLOSE);
        long error = count(c -> c.verdict() == FramingCorpus.Verdict.ERROR);
        long real = count(c -> c.real() != null);
        md.append("# Framing: hotpool against HttpClient 5 and the JDK client, ").append(context.date()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d cases of `%s` (verdicts: %d reuse, %d close, %d error; %d of them "
                + "captured from real servers), each through each client on a raw loopback server of its own that "
                + "sends the case's bytes exactly, then `GET /next` %d ms later. The server numbers its connections: "
                + "`reuse` = delivered and `/next` came on the same connection, `close` = delivered and `/next` came "
                + "on another, `error` = the client threw, `hang` = its own timeout or the watchdog fired. A fresh "
                + "client per case, its defaults but the timeouts (%d ms connect and read; a %d ms watchdog per "
                + "exchange).%n%n", this.results.size(), context.corpus(), reuse, close, error, real,
                context.pauseMillis(), context.timeout().toMillis(), context.watchdog().toMillis()));
        context.versions().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append(String.format(Locale.ROOT, "- run: `%s`, %.0f s, %d CPUs%n%n", context.command(), context.seconds(),
                Runtime.getRuntime().availableProcessors()));

        md.append("## Summary\n\n");
        md.append("| |");
        this.kinds.forEach(k -> md.append(' ').append(k.label()).append(" |"));
        md.append("\n|---|");
        this.kinds.forEach(k -> md.append("---:|"));
        md.append('\n');
        row(md, "outcome = hotpool's verdict, body included (of " + this.results.size() + ")",
                (c, o) -> o.matches(c));
        row(md, "reused the connection after a response the corpus does not call exact (of " + (close + error)
                + " `close` + `error`)", (c, o) -> c.verdict() != FramingCorpus.Verdict.REUSE && o.sameConnection());
        row(md, "delivered a response the corpus calls malformed (of " + error + " `error`)",
                (c, o) -> c.verdict() == FramingCorpus.Verdict.ERROR && o.delivered());
        row(md, "refused a real server's response (of " + real + " `real:`)",
                (c, o) -> c.real() != null && !o.delivered());
        row(md, "hung (its timeout or the watchdog)", (c, o) -> o.kind() == Outcome.Kind.HANG);
        row(md, "delivered a body other than the corpus's (of " + (reuse + close) + " `reuse` + `close`)",
                (c, o) -> c.verdict() != FramingCorpus.Verdict.ERROR && o.delivered() && !o.bodyIs(c.body()));
        row(md, "`/next` failed after the case", (c, o) -> o.nextError() != null);
        row(md, "sent the case's request more than once (a retry)", (c, o) -> o.tries() > 1);
        md.append('\n');

        md.append("## Cases\n\n");
        md.append("A cell in bold is not hotpool's verdict. `≠body`: the body delivered is not the corpus's; "
                + "`+same conn`: after the error, `/next` still came on the case's connection; `/next✗`: the `/next` "
                + "request after the case failed (see Messages); `×N`: the case's request reached the server N "
                + "times (retried).\n\n");
        md.append("| case | hotpool's verdict |");
        this.kinds.forEach(k -> md.append(' ').append(k.label()).append(" |"));
        md.append("\n|---|---|");
        this.kinds.forEach(k -> md.append("---|"));
        md.append('\n');
        this.results.forEach((c, row) -> {
            md.append("| `").append(c.name()).append('`');
            if (c.real() != null) {
                md.append(" (").append(c.real()).append(')');
            }
            md.append(" | ").append(Corpus.word(c.verdict())).append(" |");
            this.kinds.forEach(k -> md.append(' ').append(cell(c, row.get(k), true)).append(" |"));
            md.append('\n');
        });
        md.append('\n');

        md.append("## Messages\n\n");
        md.append("What each client threw (case, then `/next`), case by case.\n\n");
        this.results.forEach((c, row) -> {
            boolean any = row.values().stream().anyMatch(o -> o.error() != null || o.nextError() != null);
            if (!any) {
                return;
            }
            md.append("- `").append(c.name()).append("` (").append(clean(Corpus.expectText(c))).append(")\n");
            this.kinds.forEach(k -> {
                Outcome o = row.get(k);
                if (o.error() != null) {
                    md.append("  - ").append(k.label()).append(": `").append(o.error()).append("`\n");
                }
                if (o.nextError() != null) {
                    md.append("  - ").append(k.label()).append(", `/next`: `").append(o.nextError()).append("`\n");
                }
            });
        });
        return md.toString();
    }

    private long count(java.util.function.Predicate<FramingCorpus.Case> which) {
        return this.results.keySet().stream().filter(which).count();
    }

    private void row(StringBuilder md, String label, BiPredicate<FramingCorpus.Case, Outcome> counts) {
        md.append("| ").append(label).append(" |");
        for (FramingClient.Kind k : this.kinds) {
            long n = this.results.entrySet().stream().filter(e -> counts.test(e.getKey(), e.getValue().get(k)))
                    .count();
            md.append(' ').append(n).append(" |");
        }
        md.append('\n');
    }

    /** A table cell: the outcome and its marks, in bold when it is not hotpool's verdict. */
    static String cell(FramingCorpus.Case c, Outcome o, boolean markdown) {
        StringBuilder s = new StringBuilder(o.kind().word());
        if (c.verdict() != FramingCorpus.Verdict.ERROR && o.delivered() && !o.bodyIs(c.body())) {
            s.append(" ≠body");
        }
        if (o.kind() == Outcome.Kind.ERROR && o.sameConnection()) {
            s.append(" +same conn");
        }
        if (o.nextError() != null) {
            s.append(" /next✗");
        }
        if (o.tries() > 1) {
            s.append(" ×").append(o.tries());
        }
        return markdown && !o.matches(c) ? "**" + s + "**" : s.toString();
    }

    /** One line for a table or a code span: controls as {@code \xHH}, no backticks or bars, at most 300 chars. */
    static String clean(String text) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length() && s.length() < 300; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                s.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            }
            else if (c == '`') {
                s.append('\'');
            }
            else if (c == '|') {
                s.append('/');
            }
            else {
                s.append(c);
            }
        }
        return s.length() < 300 ? s.toString() : s + "…";
    }
}
