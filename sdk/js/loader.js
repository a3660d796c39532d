/*
 * Crumbless loader: <script defer src=".../crumbless.js" data-site="example.com"></script>
 *
 * DOM I/O only. It reads the page, hands the tracker module (tracker.wasm,
 * built from wasm/cmd/tracker) compact records as wasm/ABI.md describes, and
 * sends the batches the module returns. Every decision is the module's.
 * No cookies, no storage, nothing in the console unless data-site is missing;
 * errors are swallowed, because analytics must never break a page.
 *
 * Optional: data-api="https://stats.example.com/e" (default: /e next to this script).
 * API: crumbless('event', name, {key: value}). Calls made before this script
 * runs are picked up from the usual stub:
 *   window.crumbless = window.crumbless || function () {
 *     (window.crumbless.q = window.crumbless.q || []).push(arguments) }
 */
(function () {
  var script = document.currentScript;
  var site = script && script.getAttribute('data-site');
  if (!site) {
    console.warn('crumbless: the script tag needs data-site="your.site"');
    return;
  }
  // The module's URL is relative to this script's: an inline copy cannot work.
  if (!window.WebAssembly || !script.src) return;

  var api = script.getAttribute('data-api') || new URL('/e', script.src).href;
  var queued = (window.crumbless && window.crumbless.q) || [];
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
      var chunks = [];
      var size = 0;
      var add = function (bytes) {
        chunks.push(bytes);
        size += bytes.length;
      };
      records.forEach(function (record) {
        add([record[0], record.length - 1]);
        record.slice(1).forEach(function (field) {
          field = (field instanceof Uint8Array ? field : textEncoder.encode(field || '')).subarray(0, 65535);
          add([field.length & 255, field.length >> 8]);
          add(field);
        });
      });
      // The buffer's view must be made after crumbless_buffer: memory may grow.
      var view = new Uint8Array(exports.memory.buffer, exports.crumbless_buffer(size), size);
      size = 0;
      chunks.forEach(function (bytes) {
        view.set(bytes, size);
        size += bytes.length;
      });
      var delay = exports.crumbless_feed(size, Date.now());
      clearTimeout(timer);
      if (delay >= 0) timer = setTimeout(feed, delay, []);
    } catch (e) {
      broken = 1;
    }
  }

  // crumbless.send(ptr, len, mode): copy the batch out before returning.
  function send(ptr, len, mode) {
    var body = new Uint8Array(exports.memory.buffer, ptr, len).slice();
    if (mode) beacon(body);
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

  function post(body) {
    if (!window.fetch) return beacon(body);
    fetch(api, {
      method: 'POST',
      body: new Blob([body], { type: 'text/plain' }),
      keepalive: true,
      credentials: 'omit',
      mode: 'cors'
    }).catch(function () {});
  }

  function beacon(body) {
    try {
      navigator.sendBeacon(api, new Blob([body], { type: 'text/plain' }));
    } catch (e) {}
  }

  // The page is going away: whatever is still being compressed goes raw now.
  function hide() {
    compressing.forEach(beacon);
    compressing.clear();
    feed([[4]]);
  }

  // crumbless('event', name, props): props values become strings; objects and
  // arrays become JSON; null and undefined are left out.
  function call(args) {
    if (args[0] != 'event' || args[1] == null) return;
    var record = [3, String(args[1])];
    var props = args[2];
    if (props && typeof props == 'object') {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value != null) record.push(key, typeof value == 'object' ? JSON.stringify(value) : String(value));
      });
    }
    feed([record.slice(0, 62)]); // kind, name and 30 props
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

  var imports = { crumbless: { send: send } };
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
      if (result.instance.exports.crumbless_abi() != 1) return;
      exports = result.instance.exports;
      feed([
        [1, site, crypto.getRandomValues(new Uint8Array(16))],
        [2, location.href, document.referrer, document.title, String(innerWidth),
          navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]
      ]);
      queued.forEach(safeCall);
      queued = 0;
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState == 'hidden') hide();
      });
      addEventListener('pagehide', hide);
    })
    .catch(function () {});
})();
