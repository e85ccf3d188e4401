package dev.hotpool.benchmarks.framing;

import dev.hotpool.internal.http.FramingCorpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a {@link RealServersCheck} run: a server's captures (in the framing corpus's escapes, so a response
 * can be pasted into a {@code send:} line) and the Markdown report. Not thread-safe; used once.
 */
final class RealServersReport {

    private final List<RealServersCheck.ServerResult> results;
    private final List<FramingCorpus.Case> corpus;

    RealServersReport(List<RealServersCheck.ServerResult> results, List<FramingCorpus.Case> corpus) {
        this.results = results;
        this.corpus = corpus;
    }

    /** The capture file of one server. */
    static String captures(RealServersCheck.ServerResult server) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(server.name()).append(" on 127.0.0.1, captured by RealServersCheck (see "
                + "benchmarks/README.md).\n# Each request went on a fresh connection from a raw socket, written as "
                + "hotpool writes it. send: is the response as\n# received (heads, then the body as on the wire) in "
                + "the framing corpus's escapes; kept alive: whether the server\n# then answered a second request on "
                + "that connection; hotpool: what hotpool did with the same request.\n");
        for (RealServersCheck.ProbeResult p : server.probes()) {
            s.append("\n== ").append(server.id()).append('-').append(p.probe().name()).append('\n');
            s.append("what: ").append(p.probe().what()).append('\n');
            if (p.skipped() != null) {
                s.append("skipped: ").append(p.skipped()).append('\n');
                continue;
            }
            if (p.raw() == null) {
                s.append("raw capture failed: ").append(p.rawError()).append('\n');
            }
            else {
                RawExchange.Response r = p.raw();
                s.append("request: ").append(Corpus.escape(r.request(), 0, r.request().length)).append('\n');
                s.append("send: ").append(Corpus.escape(r.heads(), 0, r.heads().length))
                        .append(Corpus.escape(r.body(), 0, r.body().length)).append('\n');
                s.append("framing: ").append(r.framing()).append('\n');
                s.append("kept alive: ").append(r.keepAliveNote()).append('\n');
            }
            s.append("hotpool: ").append(hotpool(p)).append('\n');
            p.findings().forEach(f -> s.append("FINDING: ").append(f).append('\n'));
        }
        return s.toString();
    }

    private static String hotpool(RealServersCheck.ProbeResult p) {
        if (p.hotpool().equals("error")) {
            return "error: " + p.hotpoolDetail();
        }
        return p.hotpool() + " (" + p.hotpoolDetail() + "; the next request on the same connection: hotpool says "
                + (p.reusedNext() ? "yes" : "no") + ", the server's log "
                + (p.serverSameConnection() == null ? "keeps no client ports" : p.serverSameConnection() ? "yes" : "no")
                + ")";
    }

    String markdown(String date, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# Real servers: what they send, and what hotpool does with it, ").append(date).append("\n\n");
        md.append("Each server on 127.0.0.1. For each request: a raw socket sends it as hotpool writes it, on a fresh "
                + "connection, captures the response byte for byte (`real-servers/<server>.txt`), and sends a second "
                + "request on the connection (answered: the server keeps it open). Then one `HotPool` (defaults, "
                + "timeouts set) sends all of a server's requests in turn and one more: `reuse` = delivered and the "
                + "next request came on the same connection (`HotResponse.reused()`, and the client port in the "
                + "server's log where it keeps one), `close` = delivered and the next request came on a new "
                + "connection, `error` = refused. A finding is a response hotpool refuses, or does not reuse although "
                + "the server keeps the connection open.\n\n");
        md.append("Run: `").append(command).append("`.\n\n");
        md.append("| server | request | how it is answered | status | framing | server keeps the connection | hotpool "
                + "| next request on the same connection (server log) |\n|---|---|---|---|---|---|---|---|\n");
        List<String> findings = new ArrayList<>();
        for (RealServersCheck.ServerResult server : this.results) {
            if (server.notRun() != null) {
                continue;
            }
            for (RealServersCheck.ProbeResult p : server.probes()) {
                md.append("| ").append(server.name()).append(" | ").append(p.probe().name()).append(" (")
                        .append(p.probe().method()).append(' ').append(p.probe().path()).append(") | ")
                        .append(FramingReport.clean(p.probe().what())).append(" | ");
                if (p.skipped() != null) {
                    md.append("skipped: ").append(p.skipped()).append(" | | | | |\n");
                    continue;
                }
                RawExchange.Response r = p.raw();
                md.append(r == null ? "?" : Integer.toString(r.status())).append(" | ")
                        .append(r == null ? "raw capture failed" : r.framing()).append(" | ")
                        .append(r == null ? "?" : r.keptAlive() ? "yes" : "no").append(" | ")
                        .append(p.findings().isEmpty() ? p.hotpool() : "**" + p.hotpool() + "**").append(" | ")
                        .append(p.serverSameConnection() == null ? "no log" : p.serverSameConnection() ? "yes" : "no")
                        .append(" |\n");
                for (String f : p.findings()) {
                    findings.add("- " + server.name() + ", " + p.probe().name() + ": " + FramingReport.clean(f)
                            + (p.hotpool().equals("error") ? "" : " (hotpool: " + p.hotpool() + ", "
                                    + FramingReport.clean(p.hotpoolDetail()) + ")")
                            + (r == null ? "" : "\n  bytes (the head, in the corpus's escapes): `"
                                    + Corpus.escape(r.heads(), 0, r.heads().length).replace("`", "\\x60") + "`"));
                }
            }
        }
        md.append("\n## Findings\n\n");
        if (findings.isEmpty()) {
            md.append("None: hotpool delivered every response above and reused every connection the server kept "
                    + "open.\n");
        }
        else {
            findings.forEach(f -> md.append(f).append('\n'));
        }
        List<RealServersCheck.ServerResult> notRun = this.results.stream().filter(r -> r.notRun() != null).toList();
        if (!notRun.isEmpty()) {
            md.append("\n## Not run\n\n");
            notRun.forEach(r -> md.append("- ").append(r.id()).append(": ").append(FramingReport.clean(r.notRun()))
                    .append('\n'));
        }
        md.append("\n## The corpus's `real-*` cases against these captures\n\n");
        md.append("Status line and field names in order (values such as dates and versions aside), and whether the "
                + "server closes the connection after the response (the case's `then: close`; the real server: it did "
                + "not answer a second request on the connection).\n\n");
        md.append("| case | capture | corpus | captured | closes after it: corpus / real server |\n"
                + "|---|---|---|---|---|\n");
        RealServersCheck.CORPUS_CASES.forEach((name, where) -> {
            FramingCorpus.Case c = this.corpus.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
            RawExchange.Response r = this.results.stream().filter(s -> s.id().equals(where[0]) && s.notRun() == null)
                    .flatMap(s -> s.probes().stream()).filter(p -> p.probe().name().equals(where[1]))
                    .map(RealServersCheck.ProbeResult::raw).filter(x -> x != null).findFirst().orElse(null);
            String corpusShape = c == null ? "(no such case)" : shape(c.send());
            String capturedShape = r == null ? "(not captured)" : shape(r.heads());
            md.append("| `").append(name).append("` | ").append(where[0]).append(' ').append(where[1]).append(" | ")
                    .append(FramingReport.clean(corpusShape)).append(" | ")
                    .append(corpusShape.equals(capturedShape) ? "same" : FramingReport.clean(capturedShape))
                    .append(" | ").append(closes(c, r)).append(" |\n");
        });
        return md.toString();
    }

    /** Whether the case says the server closes after it, and whether the real server did; bold when they differ. */
    private static String closes(FramingCorpus.Case c, RawExchange.Response r) {
        if (c == null || r == null) {
            return "?";
        }
        String both = (c.serverCloses() ? "yes" : "no") + " / " + (r.keptAlive() ? "no" : "yes");
        return c.serverCloses() == !r.keptAlive() ? both : "**" + both + "**";
    }

    /** The final head's status line and its field names, in order. */
    static String shape(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n", -1);
        StringBuilder shape = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("HTTP/")) {
                shape.setLength(0);
                shape.append(line);
                names.clear();
                continue;
            }
            if (line.isEmpty()) {
                if (shape.length() > 0 && !shape.toString().matches("HTTP/1\\.[01] 1\\d\\d.*")) {
                    break;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon));
            }
        }
        return shape + " · " + String.join(", ", names);
    }
}
