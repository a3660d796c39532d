/*
 * Crumbless loader: <script defer src=".../crumbless.js" data-site="example.com"></script>
 *
 * DOM I/O only. It reads the page, hands the tracker module (tracker.wasm,
 * built from wasm/cmd/tracker) compact records as wasm/ABI.md describes, and
 * sends the batches the module returns. Every decision is the module's.
 * No cookies, nothing in the console unless data-site is missing;
 * errors are swallowed, because analytics must never break a page.
 *
 * Optional: data-api="https://stats.example.com/e" (default: /e next to this script).
 * The site's consent policy comes from /c on the same origin as the api.
 * API: crumbless('event', name, {key: value}), crumbless('consent', {analytics:
 * 'granted', ...}), crumbless('consent', 'withdraw'). Device storage is read or
 * written only when the module asks (tier T3). Calls made before this script
 * runs are picked up from the usual stub:
 *   window.crumbless = window.crumbless || function () {
 *     (window.crumbless.q = window.crumbless.q || []).push(arguments) }
 */
(function () {
  var script = document.currentScript;
  var site = script && script.getAttribute('data-site');
  if (!site) {
    console.warn('crumbless: no data-site');
    return;
  }
  // The module's URL is relative to this script's: an inline copy cannot work.
  if (!window.WebAssembly || !script.src) return;

  var api = script.getAttribute('data-api') || new URL('/e', script.src).href;
  var ID = 'crumbless_id';
  // The policy and the visitor's region, fetched while the module compiles.
  var policy = fetch(new URL('/c?site=' + encodeURIComponent(site), api), { credentials: 'omit' })
    .then(function (r) {
      return r.ok ? r.text() : '';
    })
    .catch(function () {
      return '';
    });
  var queued = (window.crumbless && window.crumbless.q) || [];
  var held = [];
  var textEncoder = new TextEncoder();
  var exports; // the module's, once it is ready
  var broken; // set when the module trapped: stop calling it
  var timer;
  var compressing = new Set(); // bodies being gzipped for a normal send

  // Records (wasm/ABI.md): kind:u8 count:u8 then count × (len:u16le bytes).
  // A record is an array: [kind, field...]; fields are strings or Uint8Arrays.
  function feed(records) {
    if (broken) return;
    try {
      var out = [];
      records.forEach(function (record) {
        out.push(record[0], record.length - 1);
        record.slice(1).forEach(function (field) {
          field = (field instanceof Uint8Array ? field : textEncoder.encode(field || '')).subarray(0, 65535);
          out.push(field.length & 255, field.length >> 8);
          for (var b of field) out.push(b);
        });
      });
      // The buffer's view must be made after crumbless_buffer: memory may grow.
      var size = out.length;
      new Uint8Array(exports.memory.buffer, exports.crumbless_buffer(size), size).set(out);
      var delay = exports.crumbless_feed(size, Date.now());
      clearTimeout(timer);
      if (delay >= 0) timer = setTimeout(feed, delay, []);
    } catch (e) {
      broken = 1;
    }
  }

  function bytes(ptr, len) {
    return new Uint8Array(exports.memory.buffer, ptr, len).slice();
  }

  // crumbless.send(ptr, len, mode): copy the batch out before returning.
  // Mode 2: the module decided T3 and asks for the stored id.
  function send(ptr, len, mode) {
    var body = bytes(ptr, len);
    if (mode == 2)
      Promise.resolve().then(function () {
        var id = '';
        try {
          id = localStorage.getItem(ID) || '';
        } catch (e) {}
        feed([[11, id]]);
      });
    else if (mode) beacon(body);
    else if (window.CompressionStream) gzipThenPost(body);
    else post(body);
  }

  function gzipThenPost(body) {
    compressing.add(body);
    new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip')))
      .arrayBuffer()
      .then(
        function (gz) {
          if (compressing.delete(body)) post(gz);
        },
        function () {
          if (compressing.delete(body)) post(body);
        }
      );
  }

  // text/plain: a simple request, no preflight.
  function blob(body) {
    return new Blob([body], { type: 'text/plain' });
  }

  // (fetch exists: the policy and the module were fetched with it.)
  function post(body) {
    fetch(api, {
      method: 'POST',
      body: blob(body),
      keepalive: true,
      credentials: 'omit',
      mode: 'cors'
    }).catch(function () {});
  }

  function beacon(body) {
    try {
      navigator.sendBeacon(api, blob(body));
    } catch (e) {}
  }

  // The page is going away: whatever is still being compressed goes raw now.
  function hide() {
    compressing.forEach(beacon);
    compressing.clear();
    feed([[4]]);
  }

  // crumbless.store(ptr, len): keep the T3 id; len 0 removes it.
  function store(ptr, len) {
    try {
      if (len) localStorage.setItem(ID, new TextDecoder().decode(bytes(ptr, len)));
      else localStorage.removeItem(ID);
    } catch (e) {}
  }

  // pairs appends an object's keys and values to record as strings.
  function pairs(record, o) {
    if (o && typeof o == 'object')
      Object.keys(o).forEach(function (key) {
        var value = o[key];
        if (value != null) record.push(key, typeof value == 'object' ? JSON.stringify(value) : String(value));
      });
    return record;
  }

  // bits turns {1: true, 8: true} into the bitmask 129, in decimal
  // (purposes 1 to 24; any other key is ignored).
  function bits(o) {
    var m = 0;
    for (var k in o || {}) if (o[k] && k > 0 && k < 25) m |= 1 << (k - 1);
    return String(m >>> 0);
  }

  // A Consent Mode command: ['consent', 'default' | 'update', {...}], as an
  // array or as the arguments object gtag pushes.
  function gcm(entry) {
    if (entry && entry[0] == 'consent') {
      var record = [9, entry[1]];
      var o = entry[2] || {};
      for (var k in o) record.push(k, String(o[k])); // a region list joins with commas
      held ? held.push(record) : feed([record]);
    }
  }

  // crumbless('event', name, props): props values become strings; objects and
  // arrays become JSON; null and undefined are left out.
  // crumbless('consent', {purpose: 'granted' | 'denied'} | 'withdraw').
  function call(args) {
    if (args[0] == 'consent') return feed([typeof args[1] == 'string' ? [10, args[1]] : pairs([10], args[1])]);
    if (args[0] != 'event' || args[1] == null) return;
    var record = [3, String(args[1])];
    var props = args[2];
    feed([pairs(record, props).slice(0, 62)]); // kind, name and 30 props
  }

  function safeCall(args) {
    try {
      call(args);
    } catch (e) {}
  }

  window.crumbless = function () {
    if (exports) safeCall(arguments);
    else queued.push(arguments);
  };

  var imports = { crumbless: { send: send, store: store } };
  var wasm = new URL('__CRUMBLESS_WASM__', script.src);
  new Promise(function (resolve) {
    resolve(WebAssembly.instantiateStreaming(fetch(wasm), imports));
  })
    .catch(function () {
      // Served without Content-Type: application/wasm, or no streaming support.
      return fetch(wasm)
        .then(function (response) {
          return response.arrayBuffer();
        })
        .then(function (bytes) {
          return WebAssembly.instantiate(bytes, imports);
        });
    })
    .then(function (result) {
      if (result.instance.exports.crumbless_abi() != 2) return;
      exports = result.instance.exports;
      feed([
        [1, site, crypto.getRandomValues(new Uint8Array(32))],
        [6, navigator.globalPrivacyControl ? '1' : '', navigator.doNotTrack == '1' ? '1' : ''],
        [2, location.href, document.referrer, document.title, String(innerWidth),
          navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]
      ]);
      // Consent Mode defaults depend on the region, which /c tells: its
      // commands are held until the policy record, then follow it in one feed.
      policy.then(function (text) {
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
        __tcfapi('addEventListener', 2, function (d, ok) {
          if (ok && d)
            feed([[7, d.gdprApplies == null ? '' : d.gdprApplies ? '1' : '0', d.eventStatus,
              bits((d.publisher || {}).consents), bits((d.publisher || {}).legitimateInterests),
              d.tcString]]);
        });
      if (typeof __gpp == 'function')
        __gpp('addEventListener', function (e) {
          var p = (e && e.pingData) || {};
          var u = {};
          [].concat((p.parsedSections || {}).usnat || []).forEach(function (s) {
            Object.assign(u, s);
          });
          feed([[8, p.signalStatus, u.SaleOptOut, u.SharingOptOut, u.TargetedAdvertisingOptOut,
            u.Gpc ? '1' : '', p.gppString]]);
        });
      queued.forEach(safeCall);
      queued = 0;
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState == 'hidden') hide();
      });
      addEventListener('pagehide', hide);
    })
    .catch(function () {});
})();
