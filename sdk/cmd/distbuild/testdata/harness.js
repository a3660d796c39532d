// Runs the built loader (sdk/dist/crumbless.js) with the real tracker module
// in Node, with just enough of a browser around it: a script tag, a page and
// its elements, location and history, fetch, sendBeacon, device storage, and
// a clock and timers the script controls. Prints one JSON line per request
// the loader sends and one per step of the scenario, then "done". Driven by
// loader_test.go:
//
//	node harness.js DIST SCENARIO [OPTIONS]
//
// OPTIONS is JSON: policy (the body of GET /c; without it /c answers 404, as
// an older collector does), storage (device storage at load), clock (the time
// at load), href, title and referrer (the page's), offline, webdriver, inputs
// (prop values for the scrub scenario), mouse (the tag has data-mouse),
// loading (the page is still loading: no load event, no idle moment). A
// promise rejection the loader leaves unhandled is printed as
// {"unhandled": ...}.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const zlib = require('zlib');

const [dist, scenario, options] = process.argv.slice(2);
const opts = options ? JSON.parse(options) : {};
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
// A rejection nobody handles is an error in the page's console.
process.on('unhandledRejection', (e) => out({ unhandled: String(e) }));

// Work the loader starts off the main thread (fetching and compiling the
// module, gzip) is tracked, so that settle can wait for it.
const tracked = new Set();
function track(p) {
  const q = p.then(() => {}, () => {}).then(() => tracked.delete(q));
  tracked.add(q);
  return p;
}
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = (...args) => track(instantiate.apply(WebAssembly, args));
globalThis.Response = class extends Response {
  arrayBuffer() {
    return track(super.arrayBuffer());
  }
  text() {
    return track(super.text());
  }
};

// settle runs everything the loader has started until nothing is left:
// promises, gzip, the module's compilation. Timers wait for advance.
async function settle() {
  const start = process.hrtime.bigint();
  do {
    await Promise.all(tracked);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    if (process.hrtime.bigint() - start > 20_000_000_000n) throw new Error('still busy after 20 s');
  } while (tracked.size);
}

// The clock and the timers: setTimeout only records a timer; advance moves
// the clock and fires the timers that fall due on the way, in due order.
let clock = opts.clock || 1732380000000;
Date.now = () => clock;
const timers = new Map(); // id → {due, fn, args}
let nextTimer = 1;
globalThis.setTimeout = (fn, delay, ...args) => {
  timers.set(nextTimer, { due: clock + Math.max(0, Math.ceil(Number(delay) || 0)), fn, args }); // the clock stays whole, as Date.now is
  return nextTimer++;
};
globalThis.clearTimeout = (id) => timers.delete(id);

// armed returns the armed timers' delays from now, soonest first.
const armed = () => [...timers.values()].map((t) => t.due - clock).sort((a, b) => a - b);

// Idle callbacks run when the browser is idle, those asked for before that
// moment: after the page's load event and whenever the clock advances,
// unless the page is still loading.
const idleCallbacks = [];
globalThis.requestIdleCallback = (fn) => idleCallbacks.push(fn);
async function idle() {
  if (opts.loading) return;
  idleCallbacks.splice(0).forEach((fn) => fn());
  await settle();
}

async function advance(ms) {
  await idle();
  const end = clock + ms;
  for (;;) {
    let id;
    let next;
    for (const [k, t] of timers) {
      if (t.due <= end && (!next || t.due < next.due)) (id = k), (next = t); // ties: first set, first fired
    }
    if (!next) break;
    timers.delete(id);
    clock = Math.max(clock, next.due);
    next.fn(...next.args);
    await settle();
  }
  clock = end;
}

// Events: listeners of the window and of the document.
function target() {
  const listeners = {};
  return {
    add: (type, fn) => (listeners[type] = listeners[type] || []).push(fn),
    dispatch: (type, props) => (listeners[type] || []).forEach((fn) => fn({ type, ...props })),
  };
}
const win = target();
const docEvents = target();
globalThis.window = globalThis;
globalThis.addEventListener = win.add;

// Elements: attributes, a parent, closest() for the selectors the loader
// uses (tag[attribute] and [attribute]), dataset, and a link's URL parts.
class Element {
  constructor(tagName, attrs, parent) {
    this.tagName = tagName;
    this.attrs = attrs || {};
    this.parentElement = parent || null;
  }
  getAttribute(name) {
    return name in this.attrs ? this.attrs[name] : null;
  }
  hasAttribute(name) {
    return name in this.attrs;
  }
  get attributes() {
    return Object.entries(this.attrs).map(([name, value]) => ({ name, value }));
  }
  get dataset() {
    const d = {};
    for (const [name, value] of Object.entries(this.attrs)) {
      if (name.startsWith('data-')) d[name.slice(5).replace(/-([a-z])/g, (m, c) => c.toUpperCase())] = value;
    }
    return d;
  }
  closest(selector) {
    const [, tag, attr] = /^(\w*)\[([\w-]+)\]$/.exec(selector);
    for (let el = this; el; el = el.parentElement) {
      if ((!tag || el.tagName === tag) && el.hasAttribute(attr)) return el;
    }
    return null;
  }
  // An <a>'s URL parts.
  get protocol() {
    return new URL(this.attrs.href, location.href).protocol;
  }
  get hostname() {
    return new URL(this.attrs.href, location.href).hostname;
  }
  get origin() {
    return new URL(this.attrs.href, location.href).origin;
  }
  get pathname() {
    return new URL(this.attrs.href, location.href).pathname;
  }
}

// The page.
const attributes = { 'data-site': scenario === 'nosite' ? null : 'example.com' };
if (opts.mouse) attributes['data-mouse'] = '';
const script = new Element('script', attributes);
script.src = 'https://stats.example.com/crumbless.js';
const html = new Element('html', {});
html.scrollHeight = 4000;
const body = new Element('body', {}, html);
globalThis.document = {
  currentScript: script,
  documentElement: html,
  body,
  referrer: opts.referrer || 'https://search.example/results?q=crumbless',
  title: opts.title || 'Pricing',
  visibilityState: 'visible',
  get hidden() {
    return this.visibilityState === 'hidden';
  },
  hasFocus: () => true,
  addEventListener: docEvents.add,
  createElement: (tag) => new Element(tag, {}),
  head: { append: (el) => addons.push(el.tagName + ' ' + el.src) },
};
const addons = []; // the scripts the loader added to the page
globalThis.innerWidth = 1280;
globalThis.innerHeight = 800;
globalThis.scrollY = 0;
let warnings = 0;
console.warn = () => warnings++;

// location and history: pushState and replaceState change the URL.
globalThis.location = {};
function navigate(url) {
  const u = new URL(url, location.href);
  Object.assign(location, { href: u.href, origin: u.origin, hostname: u.hostname, pathname: u.pathname, search: u.search, hash: u.hash });
}
navigate(opts.href || 'https://example.com/pricing?plan=pro&utm_source=newsletter&gclid=abc#faq');
globalThis.history = {
  pushState: (state, title, url) => navigate(url),
  replaceState: (state, title, url) => navigate(url),
};

// Performance: a navigation entry and a first contentful paint; no
// PerformanceObserver type is supported.
Object.defineProperty(globalThis, 'performance', {
  configurable: true,
  value: {
    getEntriesByType: (type) => (type === 'navigation' ? [{ responseStatus: 200, responseStart: 87.6 }] : []),
    getEntriesByName: (name) => (name === 'first-contentful-paint' ? [{ startTime: 312.4 }] : []),
  },
});
globalThis.PerformanceObserver = class {
  observe() {
    throw new TypeError('unsupported entry type');
  }
};

// Device storage: every access is logged; the loader may touch it only
// when the module decided T3.
const stored = new Map(Object.entries(opts.storage || {}));
const storage = [];
globalThis.localStorage = {
  getItem: (k) => (storage.push('get ' + k), stored.has(k) ? stored.get(k) : null),
  setItem: (k, v) => (storage.push('set ' + k), stored.set(k, String(v))),
  removeItem: (k) => (storage.push('remove ' + k), stored.delete(k)),
};

// The network. GET /c answers with the policy, or 404. An event post is
// answered with the next of answers: a status, [status, Retry-After], or
// 'network' (fetch rejects); 204 when none is left. Each request is
// printed with the clock when the loader made it.
const wasm = fs.readFileSync(path.join(dist, 'tracker.wasm'));
let wasmFetches = 0;
let policyFetch;
let requests = 0; // event posts and beacons, counted when made
const answers = [];
// bodyType is the Content-Type a browser sends with a request body: a
// string's is text/plain;charset=UTF-8, a Blob's its own, bytes have none.
function bodyType(body) {
  return typeof body === 'string' ? 'text/plain;charset=UTF-8' : body.type || '';
}

globalThis.fetch = (url, o) => {
  url = String(url);
  if (url === 'https://stats.example.com/tracker.wasm') {
    wasmFetches++;
    const headers = scenario === 'notype' ? {} : { 'Content-Type': 'application/wasm' };
    return Promise.resolve(new Response(wasm, { headers }));
  }
  if (url.startsWith('https://stats.example.com/c?')) {
    policyFetch = { url, credentials: o && o.credentials };
    return Promise.resolve(opts.policy ? new Response(opts.policy) : new Response('not found', { status: 404 }));
  }
  requests++;
  const at = clock;
  const answer = answers.length ? answers.shift() : 204;
  return track(new Response(o.body).arrayBuffer().then((ab) => {
    const b = Buffer.from(ab);
    const gzip = b[0] === 0x1f && b[1] === 0x8b;
    out({
      via: 'fetch', at, answer: String(answer), url, gzip, type: bodyType(o.body), method: o.method, keepalive: o.keepalive,
      credentials: o.credentials, mode: o.mode || 'cors', body: (gzip ? zlib.gunzipSync(b) : b).toString(),
    });
    if (answer === 'network') throw new TypeError('Failed to fetch');
    const [status, retryAfter] = [].concat(answer);
    return new Response(null, { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} });
  }));
};
Object.defineProperty(globalThis, 'navigator', {
  value: {
    language: 'en-GB',
    onLine: !opts.offline,
    webdriver: !!opts.webdriver,
    sendBeacon(url, data) {
      requests++;
      const at = clock;
      track(new Response(data).arrayBuffer().then((ab) =>
        out({ via: 'beacon', at, url: String(url), type: bodyType(data), body: Buffer.from(ab).toString() })));
      return true;
    },
  },
});

// step prints what the scenario sees now.
function step(name, more) {
  out({ step: name, clock, timers: armed(), requests, storage, stored: Object.fromEntries(stored), addons, ...more });
}

function hide() {
  document.visibilityState = 'hidden';
  docEvents.dispatch('visibilitychange');
  win.dispatch('pagehide', { persisted: false });
}

async function load() {
  // A call queued by the stub before the loader runs.
  window.crumbless = window.crumbless || function () {
    (window.crumbless.q = window.crumbless.q || []).push(arguments);
  };
  crumbless('event', 'early', { from: 'stub' });
  if (opts.policy) {
    // A TCF CMP grants publisher purposes 1 and 8: T3 under a consent-basis policy.
    globalThis.dataLayer = [['consent', 'default', { ad_storage: 'denied', region: ['FR'] }]];
    globalThis.__tcfapi = (cmd, version, cb) => {
      if (cmd !== 'addEventListener' || version !== 2) throw new Error('unexpected __tcfapi call');
      cb({ eventStatus: 'cmpuishown', cmpStatus: 'loaded', listenerId: 1, gdprApplies: true }, true);
      cb({ tcString: 'CP-TC-STRING', eventStatus: 'useractioncomplete', gdprApplies: true, listenerId: 1,
        publisher: { consents: { 1: true, 8: true, 9: false }, legitimateInterests: { 2: true } },
        purpose: { consents: { 1: true } } }, true);
    };
  }
  const code = fs.readFileSync(path.join(dist, 'crumbless.js'), 'utf8').replace('__CRUMBLESS_WASM__', 'tracker.wasm');
  vm.runInThisContext(code);
  await settle();
  // The page's load event, then the browser is idle (unless the page is
  // still loading). What the loader fetched before is printed as early.
  const early = wasmFetches + (policyFetch ? 1 : 0);
  if (!opts.loading) win.dispatch('load');
  await idle();
  step('load', { warnings, wasmFetches, policyFetch, early });
}

const scenarios = {
  nosite: async () => {},

  // The queued call, a call after load, the timed flush; then a burst of
  // twenty is being compressed when the page is hidden.
  default: async () => {
    crumbless('event', 'signup', { plan: 'pro', seats: 3, yearly: true, tags: ['a', 'b'], none: null, gone: undefined });
    crumbless('event'); // no name: ignored
    crumbless('unknown', 'x');
    await advance(2000); // 2 s after the first event: a normal, compressed send
    for (let i = 0; i < 20; i++) crumbless('event', 'burst', { i });
    crumbless('event', 'last');
    hide(); // pagehide after visibilitychange: nothing left, sends nothing
    await settle();
    step('end');
  },

  // The policy makes T3; the visitor withdraws; offline and hidden below
  // T3, nothing is written.
  consent: async () => {
    crumbless('event', 'linked');
    await advance(2000);
    crumbless('consent', 'withdraw');
    crumbless('event', 'after');
    await advance(10000);
    step('withdrawn', { dataLayerPush: dataLayer.push(['x']) });
    navigator.onLine = false;
    hide();
    await settle();
    step('end');
  },

  // A scroll to half the page, a pushState to another path, a
  // replaceState that keeps the path, then the page is hidden.
  spa: async () => {
    globalThis.scrollY = 1200; // (1200 + 800) / 4000: 50 %
    win.dispatch('scroll');
    await advance(3000);
    history.pushState({}, '', '/docs?x=1');
    document.title = 'Docs'; // the router sets the title after pushState
    step('pushed');
    await advance(49);
    step('settling');
    await advance(1);
    await advance(1000);
    history.replaceState({}, '', '/docs?y=2');
    await advance(1000);
    hide();
    await settle();
    // Back, and hidden again.
    document.visibilityState = 'visible';
    docEvents.dispatch('visibilitychange');
    await advance(1000);
    crumbless('event', 'back');
    hide();
    await settle();
    step('end');
  },

  // 503 with Retry-After: 3, then 202; a 400; seven network errors.
  retry: async () => {
    answers.push([503, '3'], 202);
    await advance(2000);
    step('503');
    await advance(2999);
    step('before-retry-after');
    await advance(1);
    await advance(600000);
    step('retried');
    answers.push(400);
    crumbless('event', 'rejected');
    await advance(2000);
    await advance(600000);
    step('rejected');
    answers.push(...Array(7).fill('network'));
    crumbless('event', 'unreachable');
    await advance(2000);
    await advance(3600000);
    step('end');
  },

  // Offline from the start: the timed batch and the hide batch wait for
  // the online event.
  offline: async () => {
    await advance(2000);
    hide();
    await settle();
    step('hidden');
    navigator.onLine = true;
    win.dispatch('online');
    await settle();
    step('end');
  },

  // At T3, offline: the waiting batches go to storage on hide.
  t3queue: async () => {
    navigator.onLine = false;
    crumbless('event', 'offline-a');
    await advance(2000);
    crumbless('event', 'offline-b');
    hide();
    await settle();
    step('end');
  },

  // The next page at T3 sends what the last one stored.
  t3resume: async () => {
    await advance(2000);
    hide();
    await settle();
    step('end');
  },

  // Custom events with the inputs as props; a click on an element with
  // data-crumbless-event and props; a form submitted.
  scrub: async () => {
    const inputs = opts.inputs || [];
    for (let i = 0; i < inputs.length; i += 10) {
      const props = {};
      inputs.slice(i, i + 10).forEach((x, j) => (props['p' + (i + j)] = x));
      crumbless('event', 'scrub', props);
    }
    const button = new Element('button', { 'data-crumbless-event': 'share', 'data-crumbless-prop-to': 'jane.doe@example.com' }, body);
    win.dispatch('click', { target: new Element('span', {}, button) });
    win.dispatch('submit', { target: new Element('form', { id: 'reset-8f3kQ29xLmZp7RtA0cVbN4sWqY1uE6hD' }, body) });
    hide();
    await settle();
    step('end');
  },

  // One prop of 200,000 characters, then three (the loader cuts each
  // captured field to 2,048 characters: the feeds fit); then events as
  // usual.
  large: async () => {
    const long = 'x '.repeat(100000);
    crumbless('event', 'big', { v: long });
    crumbless('event', 'huge', { a: long, b: long, c: long });
    crumbless('event', 'after');
    await advance(2000);
    crumbless('event', 'later');
    await advance(10000); // a later batch waits 10 s (core.LaterFlushDelayMillis)
    step('end');
  },

  // How long one call takes with a prop of 20,000 characters in words of
  // two, then in one word: the shortest of three calls each.
  longword: async () => {
    const timed = (v) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const start = process.hrtime.bigint();
        crumbless('event', 'long', { v });
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
      }
      return best;
    };
    step('timed', { spacedMillis: timed('x '.repeat(10000)), wordMillis: timed('x'.repeat(20000)) });
  },

  automated: async () => {
    await advance(2000);
    step('end');
  },

  // Engagement: idle for 40 s (the module counts the first 30), then a
  // click on plain text, 10 s, a click on a tracked button and a key 10 s
  // apart, and 10 s more before the page is hidden.
  engaged: async () => {
    await advance(40000);
    win.dispatch('click', { target: new Element('span', {}, body) });
    await advance(10000);
    win.dispatch('click', { target: new Element('button', { 'data-crumbless-event': 'more' }, body) });
    await advance(10000);
    win.dispatch('keydown');
    await advance(10000);
    hide();
    await settle();
    step('end');
  },

  // The start: when the page has loaded and the browser is idle, or 1.5 s
  // after the loader ran on a page still loading. An event queued before
  // then is sent.
  start: async () => {
    await advance(1499);
    step('waited', { wasmFetches });
    await advance(1);
    step('started', { wasmFetches, policyFetch });
    await advance(2000);
    step('end');
  },

  // The mouse add-on (data-mouse, when the option says so): loaded from the
  // loader's directory once the first pageview is fed, when idle.
  mouse: async () => {
    await advance(2000);
    step('end');
  },
};
scenarios.notype = scenarios.default;

async function main() {
  if (!scenarios[scenario]) throw new Error('unknown scenario ' + scenario);
  await load();
  if (scenario !== 'nosite') await scenarios[scenario]();
}

main().then(() => out('done'), (e) => {
  out({ error: String((e && e.stack) || e) });
  process.exitCode = 1;
});
