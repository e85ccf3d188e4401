// The status page: reads /actuator/hotpool (and /actuator/hotpool/{host:port} for each host) every second
// and renders it. Plain DOM, no build step; every value is set as text, never as HTML.
'use strict';

const REFRESH_MILLIS = 1000;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : String(child ?? ''));
  }
  return node;
}

function millis(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  if (value >= 10000) {
    return `${(value / 1000).toFixed(0)} s`;
  }
  if (value >= 1000) {
    return `${(value / 1000).toFixed(1)} s`;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '–';
}

function summary(target, entries) {
  target.replaceChildren(...entries.map(([label, value]) => el('div', {}, el('dt', {}, label), el('dd', {}, value))));
}

function table(headers, rows, attributes) {
  return el('table', attributes, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows));
}

// An HTTP/2 connection's streams against its limit; an HTTP/1.1 connection has none (one exchange at a time).
function streams(c) {
  return c.streams === null || c.streams === undefined ? '–' : `${c.streams} of ${c.streamLimit}`;
}

function connectionRow(c) {
  const http = c.applicationProtocol ?? 'http/1.1';
  return el('tr', { class: 'conn', 'data-id': c.id, 'data-state': c.state, 'data-http': http,
    'data-streams': c.streams, 'data-stream-limit': c.streamLimit },
    el('td', { class: 'num' }, c.id),
    el('td', { class: 'state' }, c.state),
    el('td', {}, c.address),
    el('td', { class: 'num' }, millis(c.ageMillis)),
    el('td', { class: 'num' }, millis(c.idleMillis)),
    el('td', { class: 'num' }, c.requests),
    el('td', {}, c.profile ?? '–'),
    el('td', {}, c.protocol ?? '–'),
    el('td', {}, el('code', {}, c.cipher ?? '–')),
    el('td', { class: 'http' }, http),
    el('td', { class: 'num streams' }, streams(c)));
}

// The streams of a host's HTTP/2 connections, summed from its rows: in use, and the limits in force.
function hostStreams(connections) {
  const h2 = connections.filter((c) => c.streams !== null && c.streams !== undefined);
  if (!h2.length) {
    return '';
  }
  const used = h2.reduce((sum, c) => sum + c.streams, 0);
  const limit = h2.reduce((sum, c) => sum + c.streamLimit, 0);
  return el('span', { class: 'meta streams', 'data-streams': used, 'data-stream-limit': limit },
    ` · ${h2.length} h2 · ${used} of ${limit} streams`);
}

function addressRow(a) {
  return el('tr', { class: 'address' + (a.ejected ? ' ejected' : ''), 'data-address': a.address },
    el('td', {}, a.address),
    el('td', { class: 'num' }, a.connections),
    el('td', {}, a.ejected ? `ejected until ${time(a.ejectedUntil)}` : 'in use'),
    el('td', { class: 'num' }, a.consecutiveFailures));
}

function hostSection(key, counts, detail) {
  const connections = (detail && detail.connections) || [];
  const addresses = (detail && detail.addresses) || counts.addresses || [];
  return el('div', { class: 'host', 'data-host': key },
    el('h3', {}, key, ' ',
      el('span', { class: 'meta' }, `${counts.connections} open · ${counts.active} leased · ${counts.idle} idle · `
        + `${counts.connecting} connecting · ${counts.pending} waiting · ${counts.requests} requests`),
      hostStreams(connections)),
    table(['id', 'state', 'address', 'age', 'idle', 'requests', 'profile', 'protocol', 'cipher', 'http', 'streams'],
      connections.map(connectionRow), { class: 'connections' }),
    table(['address', 'connections', 'ejection', 'failures in a row'], addresses.map(addressRow), { class: 'addresses' }));
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response.json();
}

async function render() {
  const pool = await getJson('actuator/hotpool');
  const hostKeys = Object.keys(pool.hosts || {}).sort();
  const details = await Promise.all(hostKeys.map((key) =>
    getJson('actuator/hotpool/' + encodeURIComponent(key)).catch(() => null)));

  const c = pool.connections;
  const r = pool.requests;
  summary(document.getElementById('summary'), [
    ['open', `${c.total} of ${c.max}`], ['leased', c.active], ['idle', c.idle], ['connecting', c.connecting],
    ['waiting', c.pending], ['created', c.created], ['acquire timeouts', c.acquireTimeouts],
    ['requests', r.total], ['failed', r.failed], ['retried', r.retried],
    ['reuse', `${(r.reuseRatio * 100).toFixed(1)} %`], ['handshakes', pool.handshakes.total],
    ['handshake p50', millis(pool.handshakes.latency.p50Millis)],
    ['closed', Object.values(pool.closed).reduce((a, b) => a + b, 0)],
  ]);

  const hosts = document.getElementById('hosts');
  hosts.replaceChildren(...(hostKeys.length
    ? hostKeys.map((key, i) => hostSection(key, pool.hosts[key], details[i]))
    : [el('p', { class: 'empty' }, 'No host yet.')]));

  const h = pool.healthCheck;
  summary(document.getElementById('health-check'), [
    ['last run', time(h.lastRunAt)], ['took', millis(h.lastDurationMillis)], ['checked', h.checked],
    ['closed', h.closed], ['warmed', h.warmed], ['warm failures', h.warmFailures], ['next run', time(h.nextRunAt)],
  ]);

  const profiles = (pool.tls && pool.tls.profiles) || {};
  document.querySelector('#tls tbody').replaceChildren(...Object.entries(profiles).map(([name, p]) =>
    el('tr', { 'data-profile': name }, el('td', {}, name), el('td', {}, el('code', {}, p.ja4)),
      el('td', {}, el('code', {}, p.ja3Md5)), el('td', { class: 'num' }, `${p.helloLength} B`))));

  document.getElementById('updated').textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  document.getElementById('error').textContent = '';
}

async function refresh() {
  try {
    await render();
  } catch (error) {
    document.getElementById('error').textContent = `Cannot read the pool: ${error.message}`;
  }
  setTimeout(refresh, REFRESH_MILLIS);
}

for (const button of document.querySelectorAll('button[data-run]')) {
  button.addEventListener('click', async () => {
    const result = document.getElementById('result');
    result.hidden = false;
    result.textContent = `Running /${button.dataset.run} …`;
    try {
      result.textContent = JSON.stringify(await getJson(button.dataset.run), null, 2);
    } catch (error) {
      result.textContent = error.message;
    }
  });
}

refresh();
