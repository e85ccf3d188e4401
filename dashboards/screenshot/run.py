#!/usr/bin/env python3
"""The picture in docs/observing.md of dashboards/hotpool.json over a load run, without Grafana (not installable here).

What it does, all on loopback:
 1. starts the sample app (sample-app/target/hotpool-sample-app-*.jar; build it first with
    `mvn -pl sample-app -am package -DskipTests`) with a tighter pool, so the run shows waits and timeouts;
 2. starts Debian's `prometheus` scraping its /actuator/prometheus every 2 s;
 3. drives load in phases (threads calling /aggregate, each of which makes 3 parallel upstream calls through
    hotpool), evicting idle connections now and then (new TLS handshakes);
 4. evaluates every query of dashboards/hotpool.json with Prometheus (query_range; $pool and $host = .*,
    $__rate_interval = 10s), the same expressions Grafana would send;
 5. draws each panel's series with the uPlot WebJar in headless Chromium, laid out as the dashboard's grid, and
    saves dashboards/hotpool-benchmark.png (plus the evaluated series as hotpool-benchmark-series.json).
It is Prometheus's answers to the dashboard's queries drawn by uPlot: not a Grafana screenshot.

Usage: python3 dashboards/screenshot/run.py [--seconds-per-phase=45]
       python3 dashboards/screenshot/run.py --render-only   (draws the last run's saved series again)
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import http.client
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
APP_PORT = 18080
PROM_PORT = 19090
PHASE = 45
for arg in sys.argv[1:]:
    if arg.startswith('--seconds-per-phase='):
        PHASE = int(arg.split('=', 1)[1])

# (title, threads, evict every n seconds or 0)
PHASES = [('steady, 4 threads', 4, 0), ('4 threads, idle connections evicted every 10 s', 4, 10),
          ('busier, 16 threads', 16, 0), ('overload, 64 threads', 64, 0), ('back to 4 threads', 4, 0)]


def wait_http(url, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise SystemExit('not up: ' + url)


class Load:
    def __init__(self):
        self.target = 0
        self.stop = False
        self.threads = []
        self.ok = 0
        self.failed = 0
        self.lock = threading.Lock()

    def worker(self, index):
        conn = None
        while not self.stop:
            if index >= self.target:
                time.sleep(0.05)
                continue
            try:
                if conn is None:
                    conn = http.client.HTTPConnection('127.0.0.1', APP_PORT, timeout=30)
                conn.request('GET', '/aggregate')
                response = conn.getresponse()
                response.read()
                with self.lock:
                    if response.status == 200:
                        self.ok += 1
                    else:
                        self.failed += 1
            except Exception:
                with self.lock:
                    self.failed += 1
                conn = None

    def run_threads(self, n):
        while len(self.threads) < n:
            t = threading.Thread(target=self.worker, args=(len(self.threads),), daemon=True)
            self.threads.append(t)
            t.start()
        self.target = n


def evict():
    req = urllib.request.Request('http://127.0.0.1:%d/actuator/hotpool' % APP_PORT, data=b'{}', method='POST',
                                 headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=5) as r:
        r.read()


def query_range(expr, start, end, step):
    q = urllib.parse.urlencode({'query': expr, 'start': start, 'end': end, 'step': step})
    with urllib.request.urlopen('http://127.0.0.1:%d/api/v1/query_range?%s' % (PROM_PORT, q), timeout=30) as r:
        body = json.load(r)
    if body.get('status') != 'success':
        raise SystemExit('query failed: %s: %s' % (expr, body))
    return body['data']['result']


def legend(fmt, metric):
    out = fmt
    for k, v in metric.items():
        out = out.replace('{{%s}}' % k, v)
    return out or json.dumps(metric)


def main():
    jar = sorted(glob.glob(os.path.join(ROOT, 'sample-app', 'target', 'hotpool-sample-app-*.jar')))
    if not jar:
        raise SystemExit('build the sample app first: mvn -pl sample-app -am package -DskipTests')
    work = tempfile.mkdtemp(prefix='hotpool-dashboard-')
    procs = []
    try:
        app = subprocess.Popen(['java', '-Xmx512m', '-jar', jar[-1], '--server.port=%d' % APP_PORT,
                                '--server.address=127.0.0.1', '--sample.upstream.port=0',
                                '--hotpool.acquire-timeout=250ms', '--hotpool.max-pending-acquires=24',
                                # /aggregate's parallel calls run on Boot's task executor (8 threads by default,
                                # as many as max-conns-per-host): more, so that leases wait under overload.
                                '--spring.task.execution.pool.core-size=96',
                                '--management.prometheus.metrics.export.enabled=true'],
                               stdout=open(os.path.join(work, 'app.log'), 'w'), stderr=subprocess.STDOUT)
        procs.append(app)
        wait_http('http://127.0.0.1:%d/actuator/health' % APP_PORT, 90)
        with open(os.path.join(work, 'prometheus.yml'), 'w') as f:
            f.write('global:\n  scrape_interval: 2s\nscrape_configs:\n  - job_name: hotpool-sample\n'
                    '    metrics_path: /actuator/prometheus\n    static_configs:\n'
                    '      - targets: ["127.0.0.1:%d"]\n' % APP_PORT)
        prom = subprocess.Popen(['prometheus', '--config.file=' + os.path.join(work, 'prometheus.yml'),
                                 '--storage.tsdb.path=' + os.path.join(work, 'data'),
                                 '--web.listen-address=127.0.0.1:%d' % PROM_PORT],
                                stdout=open(os.path.join(work, 'prometheus.log'), 'w'), stderr=subprocess.STDOUT)
        procs.append(prom)
        wait_http('http://127.0.0.1:%d/-/ready' % PROM_PORT, 60)
        time.sleep(6)
        start = time.time()
        load = Load()
        phases = []
        for title, threads, every in PHASES:
            print('phase: %s for %d s' % (title, PHASE), flush=True)
            phases.append({'title': title, 'at': time.time()})
            load.run_threads(threads)
            phase_end = time.time() + PHASE
            next_evict = time.time() + every if every else None
            while time.time() < phase_end:
                if next_evict and time.time() >= next_evict:
                    evict()
                    next_evict += every
                time.sleep(0.2)
        load.stop = True
        time.sleep(8)
        end = time.time()
        print('load: %d ok, %d failed' % (load.ok, load.failed), flush=True)

        dashboard = json.load(open(os.path.join(ROOT, 'dashboards', 'hotpool.json')))
        panels = []
        for p in dashboard['panels']:
            if p['type'] == 'row':
                panels.append({'row': p['title'], 'gridPos': p['gridPos']})
                continue
            series = []
            for t in p['targets']:
                expr = (t['expr'].replace('$pool', '.*').replace('$host', '.*')
                        .replace('$__rate_interval', '10s'))
                for r in query_range(expr, start, end, 2):
                    series.append({'label': legend(t['legendFormat'], r['metric']),
                                   'points': [[float(ts), None if v in ('NaN', '+Inf', '-Inf') else float(v)]
                                              for ts, v in r['values']]})
            panels.append({'title': p['title'], 'unit': p['fieldConfig']['defaults'].get('unit', ''),
                           'gridPos': p['gridPos'], 'series': series})
        out = {'start': start, 'end': end, 'phases': phases, 'load': {'ok': load.ok, 'failed': load.failed},
               'panels': panels}
        with open(os.path.join(ROOT, 'dashboards', 'hotpool-benchmark-series.json'), 'w') as f:
            json.dump(out, f)
        render(out, work)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


def render(out, work):
    """Draws the evaluated series (as saved in hotpool-benchmark-series.json) into hotpool-benchmark.png."""
    if True:
        page = os.path.join(work, 'page')
        os.makedirs(page)
        uplot = glob.glob(os.path.expanduser('~/.m2/repository/org/webjars/npm/uplot/*/uplot-*.jar'))[-1]
        with zipfile.ZipFile(uplot) as z:
            for name in z.namelist():
                if name.endswith('dist/uPlot.iife.min.js') or name.endswith('dist/uPlot.min.css'):
                    with open(os.path.join(page, os.path.basename(name)), 'wb') as f:
                        f.write(z.read(name))
        shutil.copy(os.path.join(os.path.dirname(__file__), 'page.html'), os.path.join(page, 'index.html'))
        with open(os.path.join(page, 'data.js'), 'w') as f:
            f.write('window.DASHBOARD = ' + json.dumps(out) + ';\n')
        png = os.path.join(ROOT, 'dashboards', 'hotpool-benchmark.png')
        subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                        '--user-data-dir=' + os.path.join(work, 'chromium'), '--window-size=1600,1960',
                        '--virtual-time-budget=5000', '--screenshot=' + png,
                        'file://' + os.path.join(page, 'index.html')], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print('wrote', png, flush=True)


if __name__ == '__main__':
    if '--render-only' in sys.argv[1:]:
        # Draws the picture again from the last run's series, without a new run.
        work = tempfile.mkdtemp(prefix='hotpool-dashboard-')
        try:
            render(json.load(open(os.path.join(ROOT, 'dashboards', 'hotpool-benchmark-series.json'))), work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    else:
        main()
