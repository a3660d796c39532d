/*
 * Crumbless mouse add-on: heatmaps, frustration signals and a behavioural
 * bot score, for sites whose tag has data-mouse:
 *   <script defer src=".../crumbless.js" data-site="example.com" data-mouse></script>
 * crumbless.js loads this script from its own directory after the first
 * pageview, when the browser is idle.
 *
 * DOM I/O only, like the loader. It observes the page with passive
 * listeners, takes at most one pointer movement sample per animation frame
 * (browsers dispatch pointermove and scroll once a frame; a sample less
 * than 8 ms after the last is dropped too), and feeds plain numbers to its
 * module (mouse.wasm,
 * built from wasm/cmd/mouse and package mouse), which keeps counts in fixed
 * memory and decides what is a rage click, a dead click, a quick back, an
 * error click or excessive scrolling, and how bot-like the movement is.
 * What the module writes goes through the tracker's queue as reserved
 * custom events ($heatmap, $rage_click, ..., $bot), so consent, batching
 * and retries apply unchanged. Only counts leave the page: never a
 * trajectory, a sequence of clicks, text or an input's value. Elements are
 * named by ids, data-testid and data-crumbless-event attributes, tag names
 * and positions among siblings.
 */
(function () {
  var script = document.currentScript;
  var doc = document;
  var x; // the module's exports, once ready
  var names = []; // page paths, by id - 1
  var els, anchors, boxes; // per page view: element → selector id; target → anchor; anchor → box (2 s)
  var path, down, hold;
  // The scroll offsets, kept from scroll events, and the document's size,
  // from a ResizeObserver: reading them at every sample would lay the page
  // out again and again.
  var sx = scrollX;
  var sy = scrollY;
  var docW = 0;
  var docH = 0;
  var ticks = 0;
  var moved = 0;
  // What people expect to react to a click (a plain element is not judged
  // for dead clicks), and what anchors a heatmap cell.
  var ACTIVE = 'a,button,input,select,textarea,label,summary,[role],[onclick]';
  var ANCHOR = ACTIVE + ',[id],[data-testid],[data-crumbless-event]';

  // mouse_feed(kind, now, ...numbers): the events it wrote are handed to
  // the tracker, one crumbless('event', name, props) each.
  function feed(kind, a, b, c, d, e, f, g, h, i, j, k, l) {
    try {
      var n = x.mouse_feed(kind, Date.now(), a, b, c, d, e, f, g, h, i, j, k, l);
      if (kind < 11 && n > 0)
        new TextDecoder()
          .decode(new Uint8Array(x.memory.buffer, x.mouse_out(), n))
          .split('\n')
          .forEach((line) => {
            var f = line.split('\t');
            var props = {};
            for (var i = 1; i < f.length; i += 2) props[f[i]] = f[i] == 'page' ? names[f[i + 1] - 1] : f[i + 1];
            if (f[0]) crumbless('event', f[0], props);
          });
      return n;
    } catch (e) {
      x = 0; // never break the page
    }
  }

  // The element's stable selector: up to its closest ancestor with an id,
  // at most five levels, without text or values.
  function selector(e) {
    for (var s = [], p, i, d, a; e && e != doc.body && s.length < 5; e = e.parentElement) {
      if (e.id) {
        s.unshift('#' + e.id);
        break;
      }
      for (p = e, i = 1; (p = p.previousElementSibling); ) i += p.localName == e.localName;
      for (a of ['data-testid', 'data-crumbless-event']) if ((d = e.getAttribute(a))) break;
      s.unshift(e.localName + (d ? '[' + a + '="' + d + '"]' : i > 1 ? ':nth-of-type(' + i + ')' : ''));
    }
    return s.join('>').replace(/[\0-\x1f\x7f"]/g, '');
  }

  function id(e) {
    if (!els.has(e)) {
      var b = new TextEncoder().encode(selector(e)).subarray(0, 200);
      new Uint8Array(x.memory.buffer, x.mouse_in(), b.length).set(b);
      els.set(e, feed(11, b.length));
    }
    return els.get(e);
  }

  // pointer feeds a pointer event: page and client coordinates, the
  // anchoring element's id and box in the document, whether a mouse made
  // it (the bot score takes mice only; a keyboard's click has detail 0),
  // then a click's plain and hold. Anchors are kept per target and boxes
  // until the page scrolls, or for 2 s, for the same reason as sx, sy.
  function pointer(kind, ev, fallback, plain, held) {
    var t = ev.target;
    var e = anchors.get(t);
    var cx = ev.clientX;
    var cy = ev.clientY;
    if (e === undefined) anchors.set(t, (e = (t.closest && t.closest(ANCHOR)) || 0));
    e = e || (fallback && t.closest && t);
    var r = (e && boxes.get(e)) || [0, 0, 0, 0];
    if (e && !r[2]) {
      r = e.getBoundingClientRect();
      boxes.set(e, (r = [r.left + sx, r.top + sy, r.width, r.height]));
    }
    feed(kind, cx + sx, cy + sy, cx, cy, e ? id(e) : 0, r[0], r[1], r[2], r[3],
      ev.pointerType == 'mouse' && (!fallback || ev.detail) ? 1 : 0, plain, held);
  }

  function page() {
    var p = location.pathname;
    if (p != path) {
      path = p;
      els = new WeakMap();
      anchors = new WeakMap();
      boxes = new Map();
      feed(1, names.indexOf(p) + 1 || names.push(p), innerWidth, docW, docH);
    }
  }

  function on(target, type, fn) {
    target.addEventListener(type, fn, { passive: true, capture: true });
  }

  fetch(new URL('__CRUMBLESS_MOUSE_WASM__', script.src))
    .then((r) => r.arrayBuffer())
    .then((b) => WebAssembly.instantiate(b))
    .then((r) => {
      x = r.instance.exports;
      var d = doc.documentElement;
      new ResizeObserver(() => {
        feed(10, 0, 0, (docW = d.scrollWidth), (docH = d.scrollHeight));
      }).observe(d);
      docW = d.scrollWidth;
      docH = d.scrollHeight;
      page();
      on(window, 'pointermove', (ev) => {
        if (ev.timeStamp - moved > 8) (moved = ev.timeStamp), pointer(4, ev);
      });
      on(window, 'scroll', () => {
        boxes = new Map(); // a fixed element's box moves in the document
        sx = scrollX;
        sy = scrollY;
        feed(6, sy, ((sy + innerHeight) * 100) / docH);
      });
      on(window, 'pointerdown', (ev) => {
        down = ev.timeStamp;
      });
      on(window, 'pointerup', (ev) => {
        hold = ev.timeStamp - down;
      });
      on(window, 'click', (ev) => {
        var t = ev.target;
        var plain = t.closest && !t.closest(ACTIVE) && getComputedStyle(t).cursor != 'pointer';
        pointer(5, ev, 1, plain ? 1 : 0, down ? hold : -1);
        down = 0;
      });
      new MutationObserver(() => {
        feed(7);
      }).observe(doc, { childList: true, subtree: true, attributes: true, characterData: true });
      on(doc, 'selectionchange', () => {
        if (!getSelection().isCollapsed) feed(8);
      });
      ['error', 'unhandledrejection'].forEach((type) => {
        on(window, type, () => {
          feed(9);
        });
      });
      // Page changes: a single-page app's history, a restore from the
      // back/forward cache; leaving or hiding the page sends what is due
      // (capture: before the tracker sends its last batch).
      ['pushState', 'replaceState'].forEach((name) => {
        var original = history[name];
        history[name] = function () {
          var r = original.apply(this, arguments);
          page();
          return r;
        };
      });
      on(window, 'popstate', page);
      on(window, 'pageshow', (ev) => {
        if (ev.persisted) (path = 0), page();
      });
      on(window, 'pagehide', () => {
        feed(2);
      });
      on(window, 'visibilitychange', () => {
        if (doc.visibilityState == 'hidden') feed(2);
      });
      // Signals every 2 s, the heatmap and the bot score every 10 s; boxes
      // are read again.
      setInterval(() => {
        boxes = new Map();
        feed(3, ++ticks % 5 ? 0 : 1);
      }, 2000);
    })
    .catch(() => {});
})();
