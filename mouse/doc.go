// Package mouse turns mouse and page signals into privacy-first summaries
// on the device (issue 5): heatmap counts, frustration signals and a
// behavioural bot score. It is DOM-free logic for the add-on's module: the
// script observes the page and feeds plain numbers, pointer movement in
// batches, at most one sample per animation frame (Tab.Move drops a sample
// less than MinMoveMillis after the last) and in slices (a few samples
// every few seconds, see the add-on below); this package keeps fixed-size
// state and hands back counts, signals and a score. Nothing in it stores a
// trajectory.
//
// # What leaves the page
//
// Below the interaction consent flag only aggregated counts leave the
// page: the heatmap cells of a flush (Heatmap.Append), the frustration
// signals (a kind, a time, an element id and a count each), and the bot
// score with its reason bits. Movement samples, click sequences and timings
// never do: the Bot keeps running sums, not samples, and nothing here can
// encode a sequence. Per-session streams, if a site ever gets them under
// the interaction flag, are the tracker's business, not this package's.
// Element selectors are built by the loader from ids, data attributes, tag
// names and sibling positions, never from text content or input values.
//
// # Heatmap
//
// A Heatmap holds the counts of one page view in at most MaxCells (256)
// cells, found through a fixed open-addressing index (no map). A click or
// a movement sample counts in two layers:
//
//   - the document grid: column pageX·50/documentWidth, row
//     pageY·100/documentHeight (Cols, Rows), clamped to the edges;
//   - the element it is over, when the caller passes an element id (from
//     Selectors) and the element's box: the position inside the box in
//     tenths across and down (0–9). The same element gives the same cell
//     whatever the viewport's width, where a grid cell moves with the
//     layout (TestSameElementSameCell: 1280, 1920 and 3840 px).
//
// Scroll reach is kept in ten buckets of the document's height: each
// bucket the viewport's bottom reaches counts once per view, so summing
// the views' counts at the edge gives the reach histogram. Counts saturate
// at 65,535; when the table is full, samples for new cells are dropped and
// counted (the token x:N). Append writes the cells as comma-separated text
// (c12.40:3, m12.40:7, e5.3.7:2, n5.3.7:9, r4:1, x:17), at most MaxEncoded
// bytes in all, through internal/buf, in parts of whole tokens that fit a
// limit (an event field); Reset clears the counts for the next flush.
//
// # Frustration signals
//
// A Detector is fed clicks, activity (DOM mutations, navigations, scrolls),
// selection changes, JavaScript errors, scroll positions and page changes,
// each with its time, in time order, and a Tick from the tracker's timer.
// Each occurrence yields exactly one Signal (Next), with the thresholds of
// Config (zero fields are the defaults):
//
//   - RageClick: at least 3 clicks (RageClicks) within 700 ms (RageMillis)
//     of each other, each within 30 px (RageRadius) of the burst's first;
//     the burst goes on while clicks come within 700 ms and 30 px, and is
//     one signal when it ends, with its number of clicks. A double-click is
//     never one (RageClicks is at least 3). A triple-click that changes the
//     selection (the browser selects a paragraph) is not one either; four
//     or more clicks are, selection or not. The clicks of a rage click are
//     not also dead clicks.
//   - DeadClick: a click followed within 1 s (DeadMillis) by no activity:
//     no DOM mutation, navigation, selection change or scroll. Clicking
//     again on the same element nearby while it waits is the same dead
//     click. Clicks the caller marks as on a non-interactive element (not a
//     link, button, input, label, summary, element with a click handler, a
//     role or cursor: pointer) are not judged unless DeadPlain is set:
//     people click text while reading. At most 4 clicks wait at once.
//   - QuickBack: a page left and returned to within 5 s (QuickBackMillis):
//     in a single-page app, A → B → A (Signal.Page is B); across documents,
//     Leave on pagehide and a Page with the same path on a restore from the
//     back/forward cache (Page 0: another document). Each return counts
//     once: A → B → A → B is one.
//   - ErrorClick: a JavaScript error within 1 s (ErrorMillis) of a click;
//     once per click, however many errors follow.
//   - ExcessiveScroll: at least 4 scroll direction changes (ScrollFlips)
//     within 3 s (ScrollMillis), where a change is a reversal of at least
//     50 px (ScrollMinPx) from the furthest point reached; one signal per
//     episode, which ends 3 s after its last reversal, with its number of
//     changes.
//
// Signals are finalised when their window closes: at a Tick, at the next
// event, or at Page and Leave, which end every window of the page being
// left (those signals come before a QuickBack of the new page). What is
// found does not depend on when Tick is called. At most 16 signals wait
// for Next; more are counted in Lost.
//
// # Bot score
//
// A Bot takes mouse movement samples (client coordinates, one per frame)
// and clicks (with the button's hold time when known) and keeps running
// sums for these features:
//
//   - speed: the coefficient of variation of speed over moving samples;
//     a hand accelerates and brakes (about 0.8), a script that interpolates
//     moves evenly (below 0.1). Reason ReasonConstantSpeed ("speed").
//   - smooth: the mean change of the speed change (jerk), relative to the
//     mean speed; a hand's tremor makes it 0.3 or more, eased or linear
//     scripts below 0.1. ReasonNoJitter ("smooth").
//   - straight: strokes (movement between pauses) of at least 50 px whose
//     displacement is their path length (over 0.998 on average), and the
//     mean turning between successive steps (|a×b| / |a||b|, below 0.01).
//     ReasonStraight ("straight").
//   - pauses: 600 moving samples, or 5 slices with movement (the
//     add-on's take 24 s), without a pause (a gap over 100 ms between
//     samples, or a slice whose first sample came over 100 ms after it
//     began) (ReasonNoPauses, "nopause"); pause durations with a
//     coefficient of variation below 0.05 count as regular timing.
//   - approach: clicks where the pointer never was, or got to by a jump
//     (more than 400 px in one sample, or 100 px across a pause) instead
//     of moving, or more than 20 px from where it was: a scripted
//     page.click. ReasonNoApproach ("noapproach").
//   - timing: click intervals with a coefficient of variation below 0.05
//     (at least 3 intervals). ReasonRegularTiming ("regular").
//   - instant: clicks whose button was held less than 8 ms.
//     ReasonInstantClick ("instant").
//
// Each feature has a strength from 0 to 1 (a linear ramp between a
// person's value and a program's) and a weight (speed 0.6, smooth 0.5,
// straight 0.5 and turning 0.25, nopause 0.3, noapproach 0.8, regular
// 0.7 for clicks and 0.5 for pauses, instant 0.6); the score is
// 100·(1 − Π(1 − weight·strength)), a noisy OR, and a reason is set when
// its strength is at least one half. A feature needs enough data (30
// moving samples, 2 strokes, 2 clicks, 3 intervals, 4 pauses) or counts for
// nothing, so a visit with little movement scores low. Feed mouse pointers
// only: touch and pen have no approach movement, and a click from the
// keyboard (event.detail 0) has no position. On generated trajectories
// (gen_test.go: minimum-jerk strokes with tremor, curvature, overshoot and
// log-normal pauses, against line, teleport and metronome scripts) every
// person scores at most 30 and every script at least 70
// (TestBotSeparation logs the figures). A script that adds noise, curves
// and pauses can pass; the score is one signal among the edge's others.
//
// Movement may be observed in slices: the add-on listens for 16 samples
// from some of its 2-s ticks and not between (SliceStart, SliceEnd;
// Tab.Move's Slice marks). The gaps are nobody's pauses and jumps: a
// slice's first sample starts a stroke without a step, a pause or a jump,
// and pauses count only inside slices (the pointer observed still), their
// durations only between samples. A click's approach is known while the
// pointer is observed: a click after a slice ended counts as approached
// if it comes within PauseMillis of the last sample and within
// ApproachPx of it, and otherwise for neither side, as does a click at a
// slice's first sample before any move (the pointer got there unseen); a
// click away from where an observed pointer rests is not approached. Such
// clicks still count for timing and holds. Sliced the same way, the
// generated people and scripts separate as before, and no person's click
// counts as unapproached (TestBotSliced: 16 to 32 samples a slice; with
// 12, pieces of curved strokes look straight).
//
// # The add-on
//
// The tag's data-mouse loads sdk/js/mouse.js, which runs this package in
// a module of its own (wasm/cmd/mouse, sdk/dist/mouse.wasm), apart from the
// tracker, so that the tag keeps its weight. A Tab holds what one tab
// needs (a Heatmap, its Selectors, a Detector and a Bot); the script feeds
// it and hands the events of AppendEvents to the tracker's queue as
// reserved custom events (events.go: $heatmap, $rage_click, $dead_click,
// $quick_back, $error_click, $excessive_scroll, $bot), which
// collector/ingest turns into heatmap, frustration and bot rows. Signals
// are written every 2 s, the heatmap and the score every 30 s, and all of
// them at a page change and when the page is hidden or left. Movement
// costs the page little: the script listens for mousemove only in slices
// (16 moves from the start and the 2-s ticks 1 and 2, which give the bot
// score its first 30 samples within 4 s, then from every sixth tick),
// since every dispatch to a listener costs the page, whatever the
// listener does (and mouse events, not pointer events, which the browser
// dispatches only to a page that listens for one); the listener only keeps
// the event, and the slice's samples are written into the module's memory
// together, without a call, at the slice's end or before any other
// observation; the module takes up to 64 in one call before the next
// observation (wasm/cmd/mouse). The heatmap's
// movement layer counts the slices' samples, after the first 4 s about
// one move in 45 of continuous movement.
// The DOM is observed for mutations (which answer a click) only from a
// click until a tick over DeadMillis after the last click.
//
// # Memory and code
//
// The package is compiled by TinyGo into the add-on's module, so it has
// no heap: every buffer is a fixed array, it appends only through
// internal/buf, it uses no maps, no goroutines, no closures, no fmt or
// strconv (numbers are written by consent.AppendInt, already in the
// module), and float32 arithmetic with math.Sqrt (one wasm instruction).
// It is deterministic: the same events give the same output. It imports only consent,
// internal/buf and math, and must not import fmt, reflect, unsafe,
// syscall/js or anything under collector/.
package mouse
