// The status page's charts: the last five minutes of the pool from /history (a ring buffer the app fills once a
// second from the pool's snapshots), drawn with uPlot (a WebJar served by the app: no CDN, works offline). The page
// loads the whole history once, then appends the samples newer than its last one every second.
// Each chart's element carries what its last point shows (data-last, JSON) and how many pixels of its series' colours
// its canvas has (data-series-pixels), so a test can tell a drawn chart from a blank one.
'use strict';

const HISTORY_REFRESH_MILLIS = 1000;
const CAPACITY = 300;

const COLORS = {
  requests: '#1d4ed8', failed: '#b91c1c', retried: '#c2410c',
  leased: '#c2410c', idle: '#15803d', connecting: '#1d4ed8', waiting: '#7c3aed',
  handshakes: '#0f766e', p50: '#1d4ed8', p99: '#b91c1c',
};

// Every chart: its series (label, colour, value of a sample) and, for the host charts, which host.
const MAIN_CHARTS = [
  { id: 'chart-requests', title: 'requests / s', total: (s) => s.requests, series: [
    ['requests/s', COLORS.requests, (s) => s.requestsPerSecond],
    ['failed/s', COLORS.failed, (s) => s.failedPerSecond],
    ['retried/s', COLORS.retried, (s) => s.retriedPerSecond]] },
  { id: 'chart-connections', title: 'connections by state', series: [
    ['leased', COLORS.leased, (s) => s.leased], ['idle', COLORS.idle, (s) => s.idle],
    ['connecting', COLORS.connecting, (s) => s.connecting], ['waiting', COLORS.waiting, (s) => s.pending]] },
  { id: 'chart-handshakes', title: 'TLS handshakes / s', total: (s) => s.handshakes, series: [
    ['handshakes/s', COLORS.handshakes, (s) => s.handshakesPerSecond]] },
  { id: 'chart-acquire', title: 'acquire wait (ms)', series: [
    ['p50', COLORS.p50, (s) => s.acquireP50Millis], ['p99', COLORS.p99, (s) => s.acquireP99Millis]] },
];

function hostChart(host) {
  const of = (f) => (s) => (s.hosts && s.hosts[host] ? f(s.hosts[host]) : null);
  return { id: 'host-chart-' + host, host, title: host, small: true, series: [
    ['leased', COLORS.leased, of((h) => h.leased)], ['idle', COLORS.idle, of((h) => h.idle)],
    ['waiting', COLORS.waiting, of((h) => h.pending)],
    ['requests/s', COLORS.requests, of((h) => h.requestsPerSecond)]] };
}

let samples = [];
const charts = new Map(); // id -> { spec, plot, element }

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

// Pixels of the canvas within a small distance of one of the series' colours: 0 for a blank chart.
function seriesPixels(u, spec) {
  const canvas = u.ctx.canvas;
  const data = u.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const wanted = spec.series.map(([, color]) => rgb(color));
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) {
      continue;
    }
    for (const [r, g, b] of wanted) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60) {
        n++;
        break;
      }
    }
  }
  return n;
}

function dataOf(spec) {
  return [samples.map((s) => s.t / 1000), ...spec.series.map(([, , value]) => samples.map((s) => value(s) ?? null))];
}

function lastOf(spec) {
  const last = samples[samples.length - 1];
  const values = { t: last ? last.t : null, points: samples.length };
  if (spec.total) {
    values.total = last ? spec.total(last) : null;
  }
  for (const [label, , value] of spec.series) {
    values[label] = last ? (value(last) ?? null) : null;
  }
  return values;
}

function create(spec, parent) {
  const element = document.createElement('div');
  element.className = 'chart' + (spec.small ? ' small' : '');
  element.id = spec.id;
  if (spec.host) {
    element.dataset.host = spec.host;
  }
  parent.append(element);
  const opts = {
    title: spec.title,
    width: spec.small ? 380 : 560,
    height: spec.small ? 150 : 200,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    series: [{}, ...spec.series.map(([label, color]) => ({ label, stroke: color, width: 2, spanGaps: false }))],
    axes: [{}, { size: 50 }],
    legend: { show: true, live: false },
    hooks: { draw: [(u) => { element.dataset.seriesPixels = String(seriesPixels(u, spec)); }] },
  };
  const plot = new uPlot(opts, dataOf(spec), element);
  charts.set(spec.id, { spec, plot, element });
}

function redraw() {
  const hosts = new Set();
  for (const s of samples) {
    Object.keys(s.hosts || {}).forEach((h) => hosts.add(h));
  }
  const hostParent = document.getElementById('host-charts');
  for (const host of [...hosts].sort()) {
    if (!charts.has('host-chart-' + host)) {
      create(hostChart(host), hostParent);
    }
  }
  for (const { spec, plot, element } of charts.values()) {
    element.dataset.last = JSON.stringify(lastOf(spec));
    plot.setData(dataOf(spec));
  }
}

async function loadHistory() {
  const after = samples.length ? samples[samples.length - 1].t : 0;
  const response = await fetch('history?after=' + after, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`history answered ${response.status}`);
  }
  const body = await response.json();
  samples = samples.concat(body.samples).slice(-(body.capacity || CAPACITY));
  redraw();
}

async function refreshHistory() {
  try {
    await loadHistory();
    document.getElementById('charts-error').textContent = '';
  } catch (error) {
    document.getElementById('charts-error').textContent = `Cannot read the history: ${error.message}`;
  }
  setTimeout(refreshHistory, HISTORY_REFRESH_MILLIS);
}

if (typeof uPlot === 'undefined') {
  document.getElementById('charts-error').textContent = 'uPlot did not load: no charts.';
} else {
  const main = document.getElementById('main-charts');
  MAIN_CHARTS.forEach((spec) => create(spec, main));
  refreshHistory();
}
