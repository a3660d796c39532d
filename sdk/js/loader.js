/*
 * Crumbless loader: <script defer src=".../crumbless.js" data-site="example.com"></script>
 *
 * DOM I/O only. It reads the page, hands the tracker module (tracker.wasm,
 * built from wasm/cmd/tracker) compact records as wasm/ABI.md describes, and
 * sends the batches the module returns. Every decision is the module's:
 * what counts as a page, an outbound link or a download, what is kept of a
 * URL, when to send, retry or give up.
 * No cookies, nothing in the console unless data-site is missing;
 * errors are swallowed, because analytics must never break a page.
 *
 * Options (data-* on the script tag): api="https://stats.example.com/e"
 * (default: /e next to this script; the consent policy comes from /c on the
 * same origin), query="q,page" (query parameters kept in paths), hash (count
 * hash routes), dev (track localhost and file:), downloads="pdf,zip", mouse
 * (load the mouse add-on, mouse.js: heatmaps, frustration signals, bot score).
 * API: crumbless('event', name, {key: value}), crumbless('experiment', name,
 * variant), crumbless('consent', {analytics: 'granted', ...}),
 * crumbless('consent', 'withdraw'). Device storage is read or written only
 * when the module asks (tier T3). Calls made before this script runs are
 * picked up from the usual stub:
 *   window.crumbless = window.crumbless || () => {
 *     (window.crumbless.q = window.crumbless.q || []).push(arguments) }
 */
(function () {
  var script = document.currentScript;
  var doc = document;
  var loc = location;
  function data(name) {
    return script?.getAttribute('data-' + name);
  }
  var site = data('site');
  if (!site) {
    console.warn('crumbless: no data-site');
    return;
  }
  // The module's URL is relative to this script's: an inline copy cannot work.
  if (!window.WebAssembly || !script.src) return;

  var api = data('api') || new URL('/e', script.src).href;
  var ID = 'crumbless_id';
  var QUEUE = 'crumbless_queue';
  var queued = window.crumbless?.q || [];
  var held = [];
  var textEncoder = new TextEncoder();
  var textDecoder = new TextDecoder();
  var KEYS = __CRUMBLESS_KEYS__.split(','); // the batch form's keys, written in by sdk/cmd/distbuild
  var exports; // the module's, once it is ready
  var broken; // set when the module trapped: stop calling it
  var timer, spaTimer, t3;
  var due = 0; // when timer fires
  var compressing = new Set(); // batches being gzipped for a send
  var waiting = new Set(); // batches waiting to be sent again, or to be online
  var nav = performance.getEntriesByType('navigation')[0] || {};
  var depth = 0; // the deepest scroll of the page, percent
  var lastActive = 0;
  var vitals = {};
  var exps = {}; // experiment: variant
  var tz; // the time zone, read at the start
  var prev; // the URL of the previous page record
  var allowed = list('query').split(',');
  // The ad platforms' click id parameters: the value is sent only under the
  // marketing flag, which the module decides.
  var CLICK_IDS = 'gclid,gbraid,wbraid,dclid,fbclid,msclkid,ttclid,twclid,li_fat_id,epik,rdt_cid,sccid,yclid,irclid'.split(',');

  // Records (wasm/ABI.md): kind:u8 count:u8 then count × (len:u16le bytes).
  // A record is an array: [kind, field...]; fields are made strings, but
  // for the seed's Uint8Array; null and undefined are empty. Fields are
  // encoded straight into buf, reused, which grows (by 200,000 bytes) when
  // less than a longest field (65,535 bytes) is left; text is cut there on
  // a character's boundary (no byte-by-byte JS array: main-thread time).
  // The module's timer is set again only when it must fire earlier, or
  // not at all: most feeds leave the next send where it was, and clearing
  // and setting a timer cost the page a little each time. A later wake-up
  // than the one pending is asked for again when that one fires.
  var buf = new Uint8Array();
  function feed(records) {
    if (broken || !exports) return;
    try {
      var size = 0;
      records.forEach((record) => {
        var clean = [2, 3, 13, 14].includes(record[0]); // what the page captured
        record.forEach((field, i, b) => {
          if (buf.length < size + 65539) (b = new Uint8Array(size + 2e5)).set(buf), (buf = b);
          field = field ?? '';
          // The record's head (kind, count) as a field's length, or a field.
          var n = !i
            ? field + record.length * 256 - 256
            : field.buffer
              ? (buf.set(field, size + 2), field.length)
              : textEncoder.encodeInto(clean ? scrub(field) : String(field), buf.subarray(size + 2, size + 65537)).written;
          buf[size++] = n;
          buf[size++] = n >> 8;
          size += i && n;
        });
      });
      // The buffer's view must be made after crumbless_buffer: memory may grow.
      var ptr = exports.crumbless_buffer(size);
      if (!ptr) return; // larger than the module takes
      new Uint8Array(exports.memory.buffer, ptr, size).set(buf.subarray(0, size));
      var now = Date.now();
      var delay = exports.crumbless_feed(size, now);
      // (due is in the past when no timer is pending: a negative delay, none.)
      if (due < now || now + delay < due)
        clearTimeout(timer), (due = now + delay), delay < 0 || (timer = setTimeout(() => feed([], (due = 0)), delay));
    } catch (e) {
      broken = 1;
    }
  }

  function text(ptr, len) {
    return textDecoder.decode(new Uint8Array(exports.memory.buffer, ptr, len));
  }

  // scrub takes personal data out of what the page captured before the
  // module sees it: e-mail addresses and long tokens, the shapes sdk/scrub
  // replaces (the collector runs sdk/scrub again, and also replaces card
  // numbers). sdk/cmd/distbuild's tests check it against sdk/scrub.
  // Fields are cut to 2,048 characters first (no field the module keeps is
  // longer), which bounds the e-mail pattern's backtracking. A token is not
  // an e-mail's local part, nor the rest of a %40.
  function scrub(s) {
    return String(s)
      .slice(0, 2048)
      .replace(/[\w.%+-]+(@|%40)([a-z\d-]+\.)+[a-z]{2,}(?![a-z\d-])/gi, (m) => {
        return m.length < 7 ? m : '[email]';
      })
      .replace(/(^|[^\w%-])(eyJ[\w-]{7,}(\.[\w-]+)*|[\w-]{32,})(?![\w@-]|%40)/g, (m, before, word) =>
        before +
        (!word.indexOf('eyJ') || /^[\da-f]+$/i.test(word) || word.split(/[-_]/).some((p) => /\d/.test(p) && /[a-z]/i.test(p))
          ? '[token]'
          : word)
      );
  }

  function get(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {}
  }

  // A batch as the module hands it (wasm/ABI.md, "Batches"): fields of
  // key:u8 len:u16le bytes, keys named by KEYS ("" a new event, "{" an
  // object's member name and "=" its value, "#" a number). The result is
  // the sdk/wire batch, to be sent with JSON.stringify.
  // The batch is decoded once: when that takes one character per byte (no
  // multi-byte character), its fields are cut from the whole, else each is
  // decoded alone.
  function batch(ptr, len) {
    var b = new Uint8Array(exports.memory.buffer, ptr, len);
    var all = text(ptr, len);
    var out = { v: 1, events: [] };
    var ev = out;
    var obj, name;
    for (var i = 0; i < len; ) {
      var n = b[i + 1] | (b[i + 2] << 8);
      var k = KEYS[b[i]];
      var v = all.length == len ? all.substr(i + 3, n) : text(ptr + i + 3, n);
      i += 3 + n;
      if (!k) out.events.push((ev = {}));
      else if (k == '=') obj[name] = v;
      else if (k[0] == '{') (obj = ev[k.slice(1)] = ev[k.slice(1)] || {}), (name = v);
      else ev[k.replace('#', '')] = k[0] == '#' ? +v : v;
    }
    return out;
  }

  // crumbless.send(ptr, len, mode): copy the batch out before returning.
  // Mode 1: the page is going away, send by beacon. Mode 2: the module
  // decided T3 and asks for the stored id; batches a page kept while
  // offline are sent now.
  function send(ptr, len, mode) {
    var body = batch(ptr, len);
    if (mode == 2) {
      t3 = 1;
      Promise.resolve().then(() => {
        feed([[11, get(ID)]]);
        (get(QUEUE) || '').split('\n').forEach((line) => {
          try {
            deliver(JSON.parse(line), 0);
          } catch (e) {} // an empty or unreadable line: skip it
        });
      });
    } else if (mode && navigator.onLine) beacon(body);
    else deliver(body, 0);
  }

  // The batch as JSON, with the time of this attempt as sent_at, so that
  // the collector corrects its events' times by the right difference.
  function fresh(body) {
    body.sent_at = Date.now();
    return JSON.stringify(body);
  }

  // deliver posts a batch, gzipped when the browser can, with fetch
  // keepalive. A network error, 408, 429 or 5xx is retried after a jittered
  // exponential backoff (1 s doubling to 60 s, less up to a half), or the
  // Retry-After asked for if longer (up to 10 min), 7 attempts in all;
  // offline, the batch waits for the browser to be online. Retries keep the
  // event ids: the collector drops what it already has.
  function deliver(body, tries) {
    if (!navigator.onLine) return waiting.add(body);
    compressing.add(body);
    // (Where CompressionStream is missing, or fails, the batch goes raw.)
    Promise.resolve()
      .then(() => new Response(new Response(fresh(body)).body.pipeThrough(new CompressionStream('gzip'))).arrayBuffer())
      .catch(() => fresh(body))
      .then((payload) => {
        if (compressing.delete(body))
          return fetch(api, {
            method: 'POST',
            body: payload, // a string is text/plain, bytes have no type: no preflight
            keepalive: true,
            credentials: 'omit' // (mode: fetch's default, cors)
          }).then((r) => {
            if (r.status == 408 || r.status == 429 || r.status > 499) throw r.headers.get('Retry-After');
          });
      })
      .catch((after) => {
        if (tries < 6) {
          waiting.add(body);
          setTimeout(() => {
            if (waiting.delete(body)) deliver(body, tries + 1);
          }, Math.max(Math.min(after * 1000, 6e5) || 0, Math.min(6e4, 1000 << tries) * (1 - Math.random() / 2)));
        }
      });
  }

  function beacon(body) {
    try {
      navigator.sendBeacon(api, fresh(body));
    } catch (e) {}
  }

  // crumbless.store(ptr, len): keep the T3 id; len 0 removes it, and the
  // module no longer decides T3.
  function store(ptr, len) {
    try {
      if (len) localStorage.setItem(ID, text(ptr, len));
      else (t3 = 0), localStorage.removeItem(ID), localStorage.removeItem(QUEUE);
    } catch (e) {}
  }

  // pairs appends an object's keys and values to record (feed makes them
  // strings).
  function pairs(record, o) {
    if (o && typeof o == 'object')
      Object.keys(o).forEach((key) => {
        var value = o[key];
        if (value != null) record.push(key, typeof value == 'object' ? JSON.stringify(value) : value);
      });
    return record;
  }

  // bits turns {1: true, 8: true} into the bitmask 129 (purposes 1 to 24;
  // any other key is ignored), a field in decimal.
  function bits(o) {
    var m = 0;
    for (var k in o) if (o[k] && k > 0 && k < 25) m |= 1 << (k - 1);
    return m;
  }

  // A Consent Mode command: ['consent', 'default' | 'update', {...}], as an
  // array or as the arguments object gtag pushes.
  function gcm(entry) {
    if (entry && entry[0] == 'consent') {
      var record = [9, entry[1]];
      var o = entry[2];
      for (var k in o) record.push(k, String(o[k])); // a region list joins with commas
      held ? held.push(record) : feed([record]);
    }
  }

  // The content id, group and origin of the closest element that has them.
  function content(el) {
    var d = el?.closest?.('[data-crumbless-content]')?.dataset || {};
    return [d.crumblessContent, d.crumblessContentGroup, d.crumblessContentOrigin];
  }

  function list(name) {
    return (data(name) || '').toLowerCase().replace(/\s/g, '');
  }

  // The page record (wasm/ABI.md). The path keeps the query parameters the
  // site allows (data-query) and, for hash routers (data-hash), the hash. A
  // single-page app's referrer is the previous view's URL. The campaign is
  // the utm_* parameters and the first ad click id found.
  function page(how) {
    var r = how == 'spa' ? prev : doc.referrer;
    try {
      r = r && new URL(r);
      r = r && r.origin + r.pathname;
    } catch (e) {}
    prev = loc.href;
    var q = new URLSearchParams(loc.search);
    var kept = new URLSearchParams();
    q.forEach((value, name) => allowed.includes(name) && kept.append(name, value));
    kept = String(kept);
    var click = CLICK_IDS.find((name) => q.has(name));
    return [2, how, loc.hostname, doc.documentElement.getAttribute('data-crumbless-status') || (!how && nav.responseStatus),
      innerWidth, loc.pathname + (kept && '?' + kept) + (data('hash') != null ? loc.hash : ''), r, doc.title,
      navigator.language, tz]
      .concat(content(doc.body), 'source,medium,campaign,term,content'.split(',').map((k) => q.get('utm_' + k)), click, click && q.get(click));
  }

  function scrolled() {
    var h = doc.documentElement.scrollHeight;
    depth = Math.max(depth, h ? Math.min(100, Math.round(((scrollY + innerHeight) * 100) / h)) : 100);
    return [17, depth];
  }

  function state() {
    return [15, doc.hidden ? '' : 1, doc.hasFocus() ? 1 : ''];
  }

  // Core Web Vitals: CLS is the largest session window of layout shifts
  // (gaps under 1 s, at most 5 s); INP the longest interaction, as Google's
  // web-vitals library measures it: Event Timing entries of 40 ms or more
  // (a lower threshold runs the callback for most of the page's mouse and
  // hover events) and the first input, whatever its duration. So an
  // interaction under 40 ms is seen only if it is the first input: a page
  // whose every interaction is that fast reports the first input's.
  function observe(type, fn) {
    try {
      new PerformanceObserver((l) => {
        l.getEntries().forEach(fn);
      }).observe({ type: type, buffered: true, durationThreshold: 40 });
    } catch (e) {}
  }
  var win = 0;
  var first, last;
  observe('largest-contentful-paint', (e) => {
    vitals.lcp = e.startTime;
  });
  function inp(e) {
    vitals.inp = Math.max(vitals.inp || 0, e.duration);
  }
  observe('event', (e) => {
    if (e.interactionId) inp(e);
  });
  observe('first-input', inp);
  observe('layout-shift', (e) => {
    if (!e.hadRecentInput) {
      if (e.startTime - last < 1000 && e.startTime - first < 5000) win += e.value;
      else (win = e.value), (first = e.startTime);
      last = e.startTime;
      vitals.cls = Math.max(vitals.cls || 0, win * 1000);
    }
  });
  function measured() {
    var r = Math.round;
    return [18, r(vitals.lcp), r(vitals.inp), r(vitals.cls), r(performance.getEntriesByName('first-contentful-paint')[0]?.startTime), r(nav.responseStart)];
  }

  // A single-page app moved: after the router settles (and sets the title).
  function moved() {
    clearTimeout(spaTimer);
    spaTimer = setTimeout(settled, 50);
  }

  function settled() {
    if (spaTimer) feed([measured(), scrolled(), page('spa')]), (depth = 0);
    spaTimer = 0;
  }

  // The page is going away: the module sends what it holds by beacon, and
  // so goes what is being compressed or waits for a retry. Offline, at T3,
  // undelivered batches are kept in device storage for the next page.
  // (A navigation still settling is counted first. What is being compressed
  // goes raw instead; what waits for a retry goes by beacon and still waits:
  // if the page lives on, it is retried, and the collector drops what it
  // already has.)
  function hide() {
    clearTimeout(spaTimer);
    settled();
    feed([measured(), scrolled(), state(), [4]]);
    if (navigator.onLine) {
      compressing.forEach(beacon);
      compressing.clear();
      waiting.forEach(beacon);
    }
    try {
      if (t3) localStorage.setItem(QUEUE, [...waiting, ...compressing].map(fresh).join('\n'));
    } catch (e) {}
  }

  // The visitor used the page: the module is told at most once a second,
  // in one feed with what the event itself captured (records).
  function active(e, records) {
    var now = Date.now();
    records = records || [];
    if (e.type == 'scroll') scrolled();
    if (now - lastActive > 1000) (lastActive = now), records.push([16]);
    records[0] && feed(records);
  }

  // A click or middle click: the visitor used the page (the click tells it
  // for the mousedown, a listener less), and on a link or an element with
  // data-crumbless-event, a click record.
  function click(ev) {
    var t = ev.target;
    var a = t.closest?.('a[href]');
    var d = t.closest?.('[data-crumbless-event]');
    if (!a && !d) return active(ev);
    a = a || {};
    var record = [13, a.protocol, a.hostname, a.origin + a.pathname, a.hasAttribute?.('download') ? 1 : '',
      d?.getAttribute('data-crumbless-event')].concat(content(t));
    if (d)
      [].forEach.call(d.attributes, (x) => {
        if (!x.name.indexOf('data-crumbless-prop-')) record.push(x.name.slice(20), x.value);
      });
    active(ev, [record]);
  }

  // crumbless('event', name, props): props values become strings; objects and
  // arrays become JSON; null and undefined are left out.
  // crumbless('experiment', name, variant).
  // crumbless('consent', {purpose: 'granted' | 'denied'} | 'withdraw').
  // (A call that throws, e.g. on props with a getter that throws, is dropped.)
  function safeCall(args) {
    try {
      if (args[0] == 'consent') feed([typeof args[1] == 'string' ? [10, args[1]] : pairs([10], args[1])]);
      else if (args[0] == 'experiment' && exps[args[1]] !== args[2])
        (exps[args[1]] = args[2]), feed([pairs([19, args[1], args[2]], exps)]);
      else if (args[0] == 'event' && args[1] != null) feed([pairs([3, args[1]], args[2]).slice(0, 62)]); // kind, name (scrub makes it a string) and 30 props
    } catch (e) {}
  }

  window.crumbless = function () {
    if (exports) safeCall(arguments);
    else queued.push(arguments);
  };

  var on = addEventListener;
  var imports = { crumbless: { send: send, store: store } };
  // start reads the time zone, fetches the policy and the module, compiles
  // it and feeds it the first pageview, once: tz says it has.
  function start() {
    if (tz) return;
    // Intl's first call loads its locale data, tens of ms of main thread;
    // Temporal, where the browser has it, reads the zone alone.
    tz = window.Temporal ? Temporal.Now.timeZoneId() : Intl.DateTimeFormat().resolvedOptions().timeZone;
    // The policy and the visitor's region, fetched while the module compiles.
    var policy = fetch(new URL('/c?site=' + encodeURIComponent(site), api), { credentials: 'omit' })
      .then((r) => {
        return r.ok ? r.text() : '';
      })
      .catch(() => {
        return '';
      });
    // The module's bytes, then compiled: works whatever Content-Type the
    // server gives it (instantiateStreaming needs application/wasm).
    fetch(new URL('__CRUMBLESS_WASM__', script.src))
      .then((response) => response.arrayBuffer())
      .then((bytes) => WebAssembly.instantiate(bytes, imports))
      .then((result) => {
        if ((exports = result.instance.exports).crumbless_abi() != 3) return (exports = 0);
        feed([
          [1, site, crypto.getRandomValues(new Uint8Array(32)), 'downloads', list('downloads'), 'dev', data('dev') != null ? 1 : ''],
          [6, navigator.globalPrivacyControl ? 1 : '', navigator.doNotTrack == '1' ? 1 : '', navigator.webdriver ? 1 : ''],
          state(),
          page('')
        ]);
        // The mouse add-on (data-mouse), after the first pageview, when idle.
        if (data('mouse') != null)
          (window.requestIdleCallback || setTimeout)(() => {
            doc.head.append(Object.assign(doc.createElement('script'), { src: new URL('mouse.js', script.src) }));
          });
        // Consent Mode defaults depend on the region, which /c tells: its
        // commands are held until the policy record, then follow it in one feed.
        policy.then((text) => {
          feed([[5, text]].concat(held));
          held = 0;
        });
        // Consent Mode: the commands already in the dataLayer, then every push.
        var dl = (window.dataLayer = window.dataLayer || []);
        var push = dl.push;
        dl.forEach(gcm);
        dl.push = function () {
          [].forEach.call(arguments, gcm);
          return push.apply(dl, arguments);
        };
        if (typeof __tcfapi == 'function')
          __tcfapi('addEventListener', 2, (d, ok) => {
            if (ok && d)
              feed([[7, d.gdprApplies == null ? '' : d.gdprApplies ? '1' : '0', d.eventStatus,
                bits(d.publisher?.consents), bits(d.publisher?.legitimateInterests),
                d.tcString]]);
          });
        if (typeof __gpp == 'function')
          __gpp('addEventListener', (e) => {
            var p = e?.pingData || {};
            var u = {};
            [].concat(p.parsedSections?.usnat).forEach((s) => {
              Object.assign(u, s);
            });
            feed([[8, p.signalStatus, u.SaleOptOut, u.SharingOptOut, u.TargetedAdvertisingOptOut,
              u.Gpc ? '1' : '', p.gppString]]);
          });
        queued.forEach(safeCall);
        queued = 0;
        // Single-page apps: history changes and hash routes. The Navigation
        // API tells them all without wrapping the page's pushState and
        // replaceState (whose own cost would run inside the tracker's frame).
        if (window.navigation) navigation.addEventListener('currententrychange', moved);
        else {
          ['pushState', 'replaceState'].forEach((name) => {
            var original = history[name];
            history[name] = function () {
              var r = original.apply(this, arguments);
              moved();
              return r;
            };
          });
          on('popstate', moved);
          on('hashchange', moved);
        }
        on('pageshow', (e) => {
          if (e.persisted) feed([state(), page('restore')]); // back from the back/forward cache
        });
        on('click', click, true);
        on('auxclick', click, true);
        on('submit', (e) => {
          var f = e.target;
          feed([[14, f.getAttribute('id') || f.getAttribute('name')].concat(content(f))]);
        }, true);
        on('focus', () => feed([state()]));
        on('blur', () => feed([state()]));
        on('online', () => {
          waiting.forEach((body) => {
            waiting.delete(body);
            deliver(body, 0);
          });
        });
        // (Not mousemove: 2,000 moves cost the page more than they tell; not
        // pointerdown: a listener of any pointer event has the browser
        // dispatch them all, every move included; not mousedown: a click
        // follows it, a tap's too, and click() tells the module.)
        on('keydown', active, { passive: true, capture: true });
        on('scroll', active, { passive: true, capture: true });
        doc.addEventListener('visibilitychange', () => {
          if (doc.visibilityState == 'hidden') hide();
          else feed([state()]);
        });
        on('pagehide', hide);
      })
      .catch(() => {});
  }

  // The tracker starts when the page has loaded and the browser is idle,
  // or 1.5 s after this script ran: its requests and its module's start do
  // not compete with the page's own loading (at load they took about 5 ms
  // more of the main thread, most of it waiting for the core:
  // bench/RESULTS.md, session 9). Calls to crumbless() wait for it; a visit
  // that ends before it is not counted.
  setTimeout(start, 1500);
  on('load', () => (window.requestIdleCallback || setTimeout)(start));
})();
