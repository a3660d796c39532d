/*
 * Crumbless mouse add-on: heatmaps, frustration signals and a behavioural
 * bot score, for sites whose tag has data-mouse:
 *   <script defer src=".../crumbless.js" data-site="example.com" data-mouse></script>
 * crumbless.js loads this script from its own directory after the first
 * pageview, when the browser is idle.
 *
 * DOM I/O only, like the loader. It observes the page with passive listeners
 * and feeds plain numbers to its module (mouse.wasm, built from wasm/cmd/mouse
 * and package mouse), which keeps counts in fixed memory and decides what is a
 * rage click, a dead click, a quick back, an error click or excessive
 * scrolling, and how bot-like the movement is. Movement is sampled in slices,
 * not followed: a mousemove listener costs the page at every dispatch, whatever
 * it does. (Mouse events, not pointer events: a listener of any pointer event
 * has the browser dispatch them all, every move included, on top of the mouse
 * events it dispatches anyway.) At the start, at the first two 2-s ticks (the
 * bot score has its first 30 samples within 4 s) and then at every sixth tick
 * (12 s) the listener is attached; it removes itself after 16 moves (about a
 * quarter of a second of movement: after the first 4 s, one move in 45 of
 * continuous movement is seen), or stays until it has them while the pointer
 * is still. The heatmap's movement layer counts these samples, and the bot
 * score knows the gaps: the first move after one is marked, so it is no
 * pause, jump or step, and a click whose approach went unseen counts neither
 * way (package mouse, bot.go). The listener only keeps each move of a slice
 * (browsers dispatch it once a frame; the module drops a sample less than
 * 8 ms after the last) with its target: the slice's moves are written at its
 * end, or before any other observation (a click, a scroll, a page change, a
 * call into the module), as numbers into the module's input buffer, each with
 * its target's anchor kept until the page scrolls or resizes (or 10 s).
 * (Doing the work at each move cost about 1.3 ms more in a 30-s session,
 * session 8 in bench/RESULTS.md.) The module takes up to 64 of them in one
 * call, when the buffer is full or before any other observation (a click, a
 * scroll, a mutation, the 2-s tick), so that it sees everything in time
 * order. The DOM is observed for mutations (an answer to a click) only from a
 * click until a tick more than a second after the last.
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
  var els; // per page view: element → selector id
  var seen; // target → its anchor's id and box, until the page scrolls or resizes, or for 10 s
  var path, down;
  // The scroll offsets, kept from scroll events, and the document's size,
  // from a ResizeObserver: reading them at every sample would lay the page
  // out again and again.
  var sx = scrollX;
  var sy = scrollY;
  var docW = 0;
  var docH = 0;
  var ticks = 0;
  // Movement is observed in slices: the mousemove listener is attached at
  // the start, at ticks 1 and 2 and then at every sixth tick (12 s), and
  // removes itself after SLICE moves, or stays until it has them while the
  // pointer is still: a dispatch to a listener costs the page more than
  // what it does with the move (a slice at every tick cost as much again
  // as the rest of the add-on and the tag together; one at every third,
  // 2 ms more in a 30-s session than now, bench/RESULTS.md). The heatmap
  // sums many visitors' samples, so fewer of each visitor's are as true of
  // where people move, and the bot score has its first 48 by 4 s. moves
  // counts the slice's moves; opened is when a slice began after a gap
  // (0: none), whose first move has flag 8 and the time since then; kept
  // holds the moves not yet written, each event then its target.
  var SLICE = 16;
  var moves = 0;
  var opened = 0;
  var listening;
  var kept = [];
  // Whether the slice's moves are a mouse's: a tap's mousemove stands for
  // a touch (sourceCapabilities, read once a slice: its getter makes an
  // object each time).
  var mouse;
  // The DOM is observed for mutations (an answer to a click: not a dead
  // click) only from a click (its mousedown: before any listener of the
  // click) until a tick more than DeadMillis (1 s) after the last; clicked
  // is then its time, 0 when the DOM is not observed.
  var observer;
  var clicked = 0;

  function watch(ev) {
    if (!clicked) observer.observe(doc, { childList: true, subtree: true, attributes: true, characterData: true });
    clicked = ev.timeStamp;
  }
  // The pointer records waiting for the module, n of them in rec (a view
  // of its input buffer, 12 numbers each: time, page x, y, client x, y,
  // element id, box x, y, w, h, flags, hold).
  var rec;
  var n = 0;
  // What people expect to react to a click (a plain element is not judged
  // for dead clicks), and what anchors a heatmap cell.
  var ACTIVE = 'a,button,input,select,textarea,label,summary,[role],[onclick]';
  var ANCHOR = ACTIVE + ',[id],[data-testid],[data-crumbless-event]';

  // mouse_feed(kind, now, a, b, c, d), now from performance.now() like
  // the events' timeStamp, after the pointer records waiting (kind 4, which
  // writes nothing: feed(4) hands them over alone); the events it wrote
  // are handed to the tracker, one crumbless('event', name, props) each
  // (kind 0 returns an id).
  function feed(kind, a, b, c, d) {
    try {
      written();
      var now = performance.now();
      n = x.mouse_feed(4, now, n);
      var len = kind != 4 && x.mouse_feed(kind, now, a, b, c, d);
      if (kind && len)
        new TextDecoder()
          .decode(new Uint8Array(x.memory.buffer, x.mouse_io() + 3328, len))
          .split('\n')
          .forEach((line) => {
            var f = line.split('\t');
            var props = {};
            for (var i = 1; i < f.length; i += 2) props[f[i]] = f[i] == 'page' ? names[f[i + 1] - 1] : f[i + 1];
            if (f[0]) crumbless('event', f[0], props);
          });
      return len;
    } catch (e) {
      x = n = 0; // never break the page
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

  // id returns the element's selector id, writing the selector into the
  // module's input buffer (at most 200 bytes of whole characters) when new.
  function id(e) {
    if (!els.has(e))
      els.set(e, feed(0, new TextEncoder().encodeInto(selector(e), new Uint8Array(x.memory.buffer, x.mouse_io(), 200)).written));
    return els.get(e);
  }

  // anchor returns the element a target t is anchored to (a click's falls
  // back to t) as its id and box in the document; a box's missing numbers
  // (no element) are NaN, which rec holds as 0. Movement targets are kept in
  // seen, for the same reason as sx, sy.
  function anchor(t, click) {
    var a = seen.get(t);
    if (click || !a) {
      var e = (t.closest && t.closest(ANCHOR)) || (click && t.closest && t);
      var r = e ? e.getBoundingClientRect() : {};
      a = [e ? id(e) : 0, r.left + sx, r.top + sy, r.width, r.height];
      if (!click) seen.set(t, a);
    }
    return a;
  }

  // pointer writes a pointer event's record: its time, page and client
  // coordinates, its target t's anchor, flags (1 a mouse made it: the bot
  // score takes mice only; a click is a pointer event that says so, and a
  // keyboard's has detail 0; a move is a mouse's unless the browser said
  // its slice's first stands for a touch's, as the mousemove of a tap
  // does; 2 a click; 4 on a plain element; 8 the first move of a slice
  // after a gap, 16 the last of its slice) and a click's hold or a first
  // move's time since its slice began (undefined is 0 in rec). A click goes to the module at
  // once, movement when rec is full or before anything else.
  // (Page coordinates are the client's plus the scroll offsets, two
  // getters fewer; the record is written in place, without an array.)
  function pointer(ev, t, flags, held) {
    var click = flags & 2;
    var cx = ev.clientX;
    var cy = ev.clientY;
    var a = anchor(t, click);
    var i = n++ * 12;
    rec[i] = ev.timeStamp;
    rec[i + 1] = cx + sx;
    rec[i + 2] = cy + sy;
    rec[i + 3] = cx;
    rec[i + 4] = cy;
    for (var j = 0; j < 5; ) rec[i + 5 + j] = a[j++];
    rec[i + 10] = flags | (click ? ev.pointerType == 'mouse' && ev.detail > 0 : mouse);
    rec[i + 11] = held;
    if (click || n > 63) feed(4);
  }

  // move, the mousemove listener, keeps the move and its target (an
  // event's target is cleared after its dispatch when it is in a shadow
  // tree), and ends its slice after SLICE moves.
  function move(ev) {
    moves++ || (mouse = !ev.sourceCapabilities?.firesTouchEvents);
    kept.push(ev, ev.target);
    if (moves >= SLICE) listen(0);
  }

  // written writes the kept moves into rec, in order, and forgets them:
  // at a slice's end (end: its last has flag 16), before a click, a scroll
  // or a page change is seen, and before any call into the module. (A
  // nested call finds none left.)
  function written(end) {
    var k = kept;
    kept = [];
    for (var i = 0; i < k.length; i += 2) {
      pointer(k[i], k[i + 1], (opened ? 8 : 0) | (end && i == k.length - 2 ? 16 : 0), opened && k[i].timeStamp - opened);
      opened = 0;
    }
  }

  // listen starts a slice (on: at a tick; the count starts again when
  // the last is still open) or ends it, after writing the moves kept.
  function listen(on) {
    written(!on);
    if (on && !listening) opened = performance.now();
    if (on != listening) window[on ? 'addEventListener' : 'removeEventListener']('mousemove', move, opts);
    listening = on;
    moves = 0;
  }

  function page() {
    var p = location.pathname;
    if (p != path) {
      written();
      path = p;
      els = new WeakMap();
      seen = new WeakMap();
      feed(1, names.indexOf(p) + 1 || names.push(p), innerWidth, docW, docH);
    }
  }

  var opts = { passive: true, capture: true };
  function on(target, type, fn) {
    target.addEventListener(type, fn, opts);
  }

  fetch(new URL('__CRUMBLESS_MOUSE_WASM__', script.src))
    .then((r) => r.arrayBuffer())
    .then((b) => WebAssembly.instantiate(b))
    .then((r) => {
      x = r.instance.exports;
      rec = new Int32Array(x.memory.buffer, x.mouse_io() + 256, 768);
      var d = doc.documentElement;
      new ResizeObserver(() => {
        seen = new WeakMap();
        feed(10, (docW = d.scrollWidth), (docH = d.scrollHeight));
      }).observe(d);
      docW = d.scrollWidth;
      docH = d.scrollHeight;
      page();
      listen(1);
      opened = 0; // the first slice follows no gap
      on(window, 'scroll', () => {
        written();
        seen = new WeakMap(); // a fixed element's box moves in the document
        sx = scrollX;
        sy = scrollY;
        feed(6, sy, ((sy + innerHeight) * 100) / docH);
      });
      // A click's hold: from mousedown to the click, which has the
      // mouseup's time (a listener less).
      on(window, 'mousedown', (ev) => {
        down = ev.timeStamp;
        watch(ev);
      });
      on(window, 'click', (ev) => {
        var t = ev.target;
        var plain = t.closest && !t.closest(ACTIVE) && getComputedStyle(t).cursor != 'pointer';
        watch(ev);
        written();
        pointer(ev, t, plain ? 6 : 2, down ? ev.timeStamp - down : -1);
        down = 0;
      });
      observer = new MutationObserver(() => {
        feed(7);
      });
      on(doc, 'selectionchange', () => getSelection().isCollapsed || feed(8));
      on(window, 'error', () => feed(9));
      on(window, 'unhandledrejection', () => feed(9));
      // Page changes: a single-page app's history (the Navigation API tells
      // them all without wrapping the page's pushState and replaceState,
      // whose own cost would run inside the add-on's frame), a restore from
      // the back/forward cache; leaving or hiding the page sends what is due
      // (capture: before the tracker sends its last batch).
      if (window.navigation) on(navigation, 'currententrychange', page);
      else {
        ['pushState', 'replaceState'].forEach((name) => {
          var original = history[name];
          history[name] = function () {
            original.apply(this, arguments); // (both return nothing)
            page();
          };
        });
        on(window, 'popstate', page);
      }
      on(window, 'pageshow', (ev) => ev.persisted && ((path = 0), page()));
      on(window, 'pagehide', () => feed(2));
      on(window, 'visibilitychange', () => doc.visibilityState == 'hidden' && feed(2));
      // Signals every 2 s, the heatmap and the bot score every 30 s (each
      // flush costs the page a send's share; a page left sooner sends them
      // when it goes); boxes are read again every 10 s; a slice of movement
      // begins at ticks 1 and 2, then at every sixth; and the DOM is no
      // longer observed when the last click's window closed.
      setInterval(() => {
        if (++ticks % 5 == 0) seen = new WeakMap();
        (ticks > 2 && ticks % 6) || listen(1);
        if (clicked && performance.now() - clicked > 1000) {
          observer.disconnect();
          clicked = 0;
        }
        feed(3, ticks % 15 == 0);
      }, 2000);
    })
    .catch(() => {});
})();
