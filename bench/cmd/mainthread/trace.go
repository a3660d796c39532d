package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"sort"
	"sync"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

var traceTop = flag.Int("trace", 0, "record a Chromium trace of each session and print the N main-thread entries into script (event dispatches by type, timers, callbacks by script, microtasks, compiles) with the most time")

var traceLoad = flag.Bool("trace-load", false, "trace the load only, up to the session's first move, and take its CPU time (-trace-cpu): the session goes untraced, so its ScriptDuration carries no tracer overhead; with -trace N, print the load's N largest entries")

// traced reports whether sessions are traced, whole or their load.
func traced() bool { return *traceTop > 0 || *traceLoad }

// cpuTime reports whether traced entries are summed as CPU time (the
// load's always are) rather than wall time.
func cpuTime() bool { return *traceCPU || *traceLoad }

var traceCPU = flag.Bool("trace-cpu", false, "with -trace: the main thread's CPU time in each entry (the trace's tdur) rather than its wall time")

var traceV8 = flag.Bool("trace-v8", false, "with -trace: also record V8's own categories (v8.callFunction, compiles, interrupts: what -trace-inside can show inside a listener call), which add tens of µs to every call into script")

// traceCategories are the main thread's tasks as DevTools' performance
// panel records them, with V8's own events when -trace-v8 asks. Without
// them, tracing costs an empty mousemove listener's dispatch about 70 µs
// of CPU, with them about 85 (bench/RESULTS.md, session 7).
func traceCategories() []string {
	if *traceV8 {
		return []string{"toplevel", "devtools.timeline", "v8.execute", "v8"}
	}
	return []string{"toplevel", "devtools.timeline"}
}

// traceEvent is one Chromium trace event (the JSON trace format).
type traceEvent struct {
	Name string  `json:"name"`
	Cat  string  `json:"cat"`
	Ph   string  `json:"ph"`
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Ts   float64 `json:"ts"`  // µs
	Dur  float64 `json:"dur"` // µs, wall
	TDur float64 `json:"tdur"`
	Args struct {
		Name string `json:"name"` // thread_name metadata
		Data struct {
			Type         string `json:"type"`
			URL          string `json:"url"`
			FunctionName string `json:"functionName"`
		} `json:"data"`
	} `json:"args"`
}

// recorder collects a session's trace.
type recorder struct {
	mu     sync.Mutex
	events []traceEvent
	done   chan struct{}
}

// startTrace begins recording; listen must run before the navigation.
func startTrace(ctx context.Context) (*recorder, error) {
	rec := &recorder{done: make(chan struct{})}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			rec.mu.Lock()
			for _, v := range e.Value {
				var t traceEvent
				if json.Unmarshal(v, &t) == nil {
					rec.events = append(rec.events, t)
				}
			}
			rec.mu.Unlock()
		case *tracing.EventTracingComplete:
			close(rec.done)
		}
	})
	err := chromedp.Run(ctx, tracing.Start().WithTransferMode(tracing.TransferModeReportEvents).
		WithTraceConfig(&tracing.TraceConfig{IncludedCategories: traceCategories()}))
	return rec, err
}

// stop ends recording and waits for the last events.
func (rec *recorder) stop(ctx context.Context) error {
	if err := chromedp.Run(ctx, tracing.End()); err != nil {
		return err
	}
	select {
	case <-rec.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// scriptEntries are the trace events by which the main thread enters
// script: what runs inside one of them is its cost.
var scriptEntries = map[string]bool{
	"EventDispatch": true, "TimerFire": true, "FunctionCall": true, "EvaluateScript": true,
	"v8.evaluateModule": true, "RunMicrotasks": true, "FireAnimationFrame": true, "FireIdleCallback": true,
	"v8.compile": true, "v8.compileModule": true, "V8.Execute": true, "v8.run": true, "v8.callFunction": true,
	"XHRReadyStateChange": true,
}

// entries sums, over the renderer's main threads, the time of each
// outermost script entry, labelled by its kind and what it ran for, with
// the count in the label; inside sums the CPU time of what runs inside the
// entries labelled -trace-inside (each nested event counts in every
// enclosing one), and counts them.
func (rec *recorder) entries() (sums, inside map[string]float64, total float64) {
	main := map[[2]int]bool{}
	for _, e := range rec.events {
		if e.Ph == "M" && e.Name == "thread_name" && e.Args.Name == "CrRendererMain" {
			main[[2]int{e.Pid, e.Tid}] = true
		}
	}
	var evs, all []traceEvent
	for _, e := range rec.events {
		if e.Ph == "X" && main[[2]int{e.Pid, e.Tid}] {
			all = append(all, e)
			if scriptEntries[e.Name] {
				evs = append(evs, e)
			}
		}
	}
	byStart := func(l []traceEvent) {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Ts != l[j].Ts {
				return l[i].Ts < l[j].Ts
			}
			return l[i].Dur > l[j].Dur
		})
	}
	byStart(evs)
	byStart(all)
	sums, inside = map[string]float64{}, map[string]float64{}
	counts, wall := map[string]float64{}, map[string]float64{}
	end := map[[2]int]float64{} // per thread: where the current outermost entry ends
	var outer []traceEvent
	for _, e := range evs {
		thread := [2]int{e.Pid, e.Tid}
		if e.Ts < end[thread] {
			continue // nested in an entry already counted
		}
		outer = append(outer, e)
		end[thread] = e.Ts + e.Dur
		label := entryLabel(e)
		counts[label]++
		wall[label] += e.Dur / 1000
		if cpuTime() {
			sums[label] += e.TDur / 1000
			total += e.TDur / 1000
		} else {
			sums[label] += e.Dur / 1000
			total += e.Dur / 1000
		}
	}
	if *traceInside != "" {
		for _, o := range outer {
			if entryLabel(o) != *traceInside {
				continue
			}
			// (all is sorted by start: only the events from o's start on.)
			from := sort.Search(len(all), func(i int) bool { return all[i].Ts >= o.Ts })
			for _, e := range all[from:] {
				if e.Ts >= o.Ts+o.Dur {
					break
				}
				if e.Pid == o.Pid && e.Tid == o.Tid && e.Ts+e.Dur <= o.Ts+o.Dur && e != o {
					name := e.Name + " " + path.Base(e.Args.Data.URL)
					inside[name] += e.TDur / 1000
					counts["inside "+name]++
				}
			}
		}
	}
	counted := func(m map[string]float64, prefix string) map[string]float64 {
		out := map[string]float64{}
		for k, v := range m {
			label := fmt.Sprintf("%s (%.0f×", k, counts[prefix+k])
			if cpuTime() && prefix == "" {
				// CPU against wall: what the thread waited or lost the core.
				label += fmt.Sprintf(", wall %.1f ms", wall[k])
			}
			out[label+")"] = v
		}
		return out
	}
	return counted(sums, ""), counted(inside, "inside "), total
}

// entryLabel names an outermost script entry: its kind and what it ran
// for (an event's type, a script's file and function).
func entryLabel(e traceEvent) string {
	label := e.Name
	switch d := e.Args.Data; {
	case d.Type != "":
		label += " " + d.Type
	case d.URL != "":
		label += " " + path.Base(d.URL)
		if d.FunctionName != "" {
			label += " " + d.FunctionName
		}
	}
	return label
}

var traceInside = flag.String("trace-inside", "", "with -trace: also print, by name, the events inside the entries with this label as printed (\"EventDispatch mousemove\", \"EvaluateScript crumbless.js\"; V8's calls need -trace-v8)")

// traceUnit names the time the trace's figures are: wall or CPU.
func traceUnit() string {
	if cpuTime() {
		return "CPU"
	}
	return "wall"
}

// printTrace prints a session's main-thread script entries.
func printTrace(variant string, rec *recorder, n int) float64 {
	sums, inside, total := rec.entries()
	fmt.Fprintf(os.Stderr, "%s: main-thread script entries, %s time %.1f ms (trace):\n", variant, traceUnit(), total)
	printTop(sums, n)
	if *traceInside != "" {
		fmt.Fprintf(os.Stderr, "%s: inside %q, CPU ms:\n", variant, *traceInside)
		printTop(inside, n)
	}
	return total
}
