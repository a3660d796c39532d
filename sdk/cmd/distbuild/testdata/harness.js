// Runs the built loader (sdk/dist/crumbless.js) with the real tracker module
// in Node, with just enough of a browser around it: a script tag, a page,
// fetch, sendBeacon, and a clock and timers the script controls. Prints one
// JSON line per request the loader sends, then "done". Driven by
// loader_test.go: node harness.js DIST SCENARIO.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const zlib = require('zlib');

const [dist, scenario, policy] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

// The clock and the timers.
let clock = 1732380000000;
const timers = new Map();
let nextTimer = 1;
Date.now = () => clock;
globalThis.setTimeout = (fn, delay, ...args) => {
  timers.set(nextTimer, { fn, delay, args });
  return nextTimer++;
};
globalThis.clearTimeout = (id) => timers.delete(id);
function armed() {
  const all = [...timers.values()];
  if (all.length > 1) throw new Error('more than one timer armed');
  return all[0];
}
function fire() {
  const t = armed();
  timers.clear();
  clock += t.delay;
  t.fn(...t.args);
}

// The page.
const listeners = {};
const addListener = (type, fn) => (listeners[type] = listeners[type] || []).push(fn);
const dispatch = (type) => (listeners[type] || []).forEach((fn) => fn({ type }));
const attributes = { 'data-site': scenario === 'nosite' ? null : 'example.com' };
globalThis.window = globalThis;
globalThis.document = {
  currentScript: {
    src: 'https://stats.example.com/crumbless.js',
    getAttribute: (name) => (name in attributes ? attributes[name] : null),
  },
  referrer: 'https://search.example/results?q=crumbless',
  title: 'Pricing',
  visibilityState: 'visible',
  addEventListener: addListener,
};
globalThis.addEventListener = addListener;
globalThis.location = { href: 'https://example.com/pricing?plan=pro#faq' };
globalThis.innerWidth = 1280;
let warnings = 0;
console.warn = () => warnings++;

// Device storage: every access is counted; the loader may touch it only
// when the module decided T3.
const stored = new Map();
let storageAccesses = 0;
globalThis.localStorage = {
  getItem: (k) => (storageAccesses++, stored.has(k) ? stored.get(k) : null),
  setItem: (k, v) => (storageAccesses++, stored.set(k, String(v))),
  removeItem: (k) => (storageAccesses++, stored.delete(k)),
};

// The network. GET /c answers with the policy given on the command line, or
// 404 as an older collector does.
const wasm = fs.readFileSync(path.join(dist, 'tracker.wasm'));
let wasmFetches = 0;
let policyFetch;
let posts = 0; // event posts by fetch, counted when fetch is called
const pending = [];
globalThis.fetch = (url, opts) => {
  url = String(url);
  if (url === 'https://stats.example.com/tracker.wasm') {
    wasmFetches++;
    const headers = scenario === 'notype' ? {} : { 'Content-Type': 'application/wasm' };
    return Promise.resolve(new Response(wasm, { headers }));
  }
  if (url.startsWith('https://stats.example.com/c?')) {
    policyFetch = { url, credentials: opts && opts.credentials };
    return Promise.resolve(policy ? new Response(policy) : new Response('not found', { status: 404 }));
  }
  posts++;
  const p = opts.body.arrayBuffer().then((ab) => {
    const body = Buffer.from(ab);
    const gzip = body[0] === 0x1f && body[1] === 0x8b;
    out({
      via: 'fetch', url, gzip, type: opts.body.type, method: opts.method, keepalive: opts.keepalive,
      credentials: opts.credentials, mode: opts.mode, body: (gzip ? zlib.gunzipSync(body) : body).toString(),
    });
  });
  pending.push(p);
  return p.then(() => new Response(null, { status: 204 }));
};
Object.defineProperty(globalThis, 'navigator', {
  value: {
    language: 'en-GB',
    sendBeacon(url, blob) {
      pending.push(blob.arrayBuffer().then((ab) =>
        out({ via: 'beacon', url: String(url), type: blob.type, body: Buffer.from(ab).toString() })));
      return true;
    },
  },
});

async function settle() {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  await Promise.all(pending);
}

// settleUntil settles until cond() holds, for up to 10 s of real time:
// compiling the module runs off the main thread and can take a while on a
// loaded machine.
async function settleUntil(cond) {
  const start = process.hrtime.bigint();
  do await settle();
  while (!cond() && process.hrtime.bigint() - start < 10_000_000_000n);
}

async function main() {
  // A call queued by the stub before the loader runs.
  window.crumbless = window.crumbless || function () {
    (window.crumbless.q = window.crumbless.q || []).push(arguments);
  };
  crumbless('event', 'early', { from: 'stub' });
  if (scenario === 'consent') {
    globalThis.dataLayer = [['consent', 'default', { ad_storage: 'denied', region: ['FR'] }]];
    globalThis.__tcfapi = (cmd, version, cb) => {
      if (cmd !== 'addEventListener' || version !== 2) throw new Error('unexpected __tcfapi call');
      cb({ eventStatus: 'cmpuishown', cmpStatus: 'loaded', listenerId: 1, gdprApplies: true }, true);
      cb({ tcString: 'CP-TC-STRING', eventStatus: 'useractioncomplete', gdprApplies: true, listenerId: 1,
        publisher: { consents: { 1: true, 8: true, 9: false }, legitimateInterests: { 2: true } },
        purpose: { consents: { 1: true } } }, true);
    };
  }

  let code = fs.readFileSync(path.join(dist, 'crumbless.js'), 'utf8');
  code = code.replace('__CRUMBLESS_WASM__', 'tracker.wasm');
  vm.runInThisContext(code);
  // Ready means the pageview is queued and its flush timer armed.
  await settleUntil(() => scenario === 'nosite' || (armed() && policyFetch));
  await settle(); // the policy record
  out({ warnings, wasmFetches, timer: armed() ? armed().delay : -1, policyFetch, storageAccesses });
  if (scenario === 'nosite') return;
  if (scenario === 'consent') return consentScenario();

  crumbless('event', 'signup', { plan: 'pro', seats: 3, yearly: true, tags: ['a', 'b'], none: null, gone: undefined });
  crumbless('event'); // no name: ignored
  crumbless('unknown', 'x');
  clock += 500;
  fire(); // 2 s after the first event: a normal, compressed send
  await settleUntil(() => posts > 0); // gzip runs off the main thread

  // Twenty events flush at once; the page is hidden while that batch is
  // being compressed, so it goes raw by beacon and is not posted after.
  for (let i = 0; i < 20; i++) crumbless('event', 'burst', { i });
  crumbless('event', 'last');
  document.visibilityState = 'hidden';
  dispatch('visibilitychange');
  dispatch('pagehide'); // nothing left: sends nothing
  await settle();
  out({ timer: armed() ? armed().delay : -1 });
}

// A TCF CMP grants publisher purposes 1 and 8 on a consent-basis site: T3,
// with an id kept on the device; then the visitor withdraws.
async function consentScenario() {
  out({ stored: Object.fromEntries(stored) });
  crumbless('event', 'linked');
  fire();
  await settleUntil(() => posts > 0);
  crumbless('consent', 'withdraw');
  crumbless('event', 'after');
  await settle();
  if (armed()) fire();
  await settle();
  out({ stored: Object.fromEntries(stored), storageAccesses, posts, dataLayer: dataLayer.push(['x']) });
}

main().then(() => out('done'), (e) => { out({ error: String(e && e.stack || e) }); process.exitCode = 1; });
