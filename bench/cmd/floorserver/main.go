// Command floorserver is the throughput floor of durable ingest: a fasthttp
// server whose handler only gunzips the body and appends it to a file, the
// least any collector that acknowledges durably must do per request. The
// collector's figures are reported as a ratio to this one, measured in the
// same run on the same core (bench/throughput.sh).
//
//	floorserver -listen 127.0.0.1:0 -dir /tmp/floor -sync group
//
// Per POST it gunzips the body (github.com/klauspost/compress/gzip, the
// collector's decompressor, a pooled reader and buffer: no allocation when
// warm), appends the decoded bytes and a newline to an in-memory group
// buffer, and then, by -sync:
//
//   - group (default): waits until one committer goroutine has written the
//     group to the file (write(2)) and fsynced it (os.File.Sync, fsync(2)),
//     then answers 204. Requests that arrive while a group is being written
//     share the next fsync: the same group commit as the collector's spool
//     (collector/spool), without its framing, CRC, budget or cursors.
//   - none: answers 204 at once; the committer writes the groups to the file
//     in the background and never fsyncs (a buffered append, not durable).
//
// The file is rotated at -segment bytes and the previous one deleted (the
// floor has no consumer; the spool deletes consumed segments too), so a run
// does not fill the disk. Anything that is not a gzip POST gets 400.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/valyala/fasthttp"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	dir := flag.String("dir", "", "directory of the appended file (required)")
	mode := flag.String("sync", "group", "group: answer after write + group fsync; none: answer at once, write in the background, no fsync")
	segment := flag.Int64("segment", 64<<20, "rotate the file (and delete the previous one) at this size")
	flag.DurationVar(&work, "work", 0, "diagnostic: spin this long per request after the gunzip (stands in for parsing and enrichment; 0 for the floor)")
	flag.BoolVar(&yield, "yield", false, "diagnostic: the committer yields (runtime.Gosched) before taking each group")
	flag.Parse()
	if *dir == "" || (*mode != "group" && *mode != "none") {
		log.Fatal("floorserver: -dir is required and -sync must be group or none")
	}
	a, err := newAppender(*dir, *segment, *mode == "group")
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "listening on http://%s sync=%s\n", ln.Addr(), *mode)
	srv := &fasthttp.Server{Handler: a.handle, MaxRequestBodySize: 64 << 10}
	go func() {
		// On SIGTERM: how the records were grouped (a group is one write,
		// and with -sync group one fsync).
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM, os.Interrupt)
		<-c
		a.mu.Lock()
		fmt.Fprintf(os.Stderr, "floorserver: records=%d groups=%d records_per_group=%.2f write_fsync_mean_ms=%.3f max_ms=%.3f\n", a.records, a.groups,
			float64(a.records)/float64(max(a.groups, 1)), float64(a.writing.Microseconds())/1000/float64(max(a.groups, 1)), float64(a.slowest.Microseconds())/1000)
		os.Exit(0)
	}()
	log.Fatal(srv.Serve(ln))
}

// decoder is one request's gunzip state, pooled.
type decoder struct {
	src bytes.Reader
	gz  gzip.Reader
	out []byte
}

// Diagnostics, off in the floor: see -work and -yield.
var (
	work  time.Duration
	yield bool
)

var decoders = sync.Pool{New: func() any { return &decoder{out: make([]byte, 0, 16<<10)} }}

func (a *appender) handle(ctx *fasthttp.RequestCtx) {
	body := ctx.PostBody()
	if !ctx.IsPost() || len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		return
	}
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	d.src.Reset(body)
	if err := d.gz.Reset(&d.src); err != nil {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		return
	}
	var err error
	if d.out, err = readAll(d.out[:0], &d.gz); err != nil {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		return
	}
	if work > 0 {
		for t := time.Now(); time.Since(t) < work; {
		}
	}
	if err := a.append(d.out); err != nil {
		ctx.SetStatusCode(fasthttp.StatusServiceUnavailable)
		return
	}
	ctx.SetStatusCode(fasthttp.StatusNoContent)
}

func readAll(dst []byte, r io.Reader) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		} else if err != nil {
			return dst, err
		}
	}
}

// appender is the group commit: handlers append to pending and wait on
// their waiter; one committer writes each group and fsyncs it once.
type appender struct {
	dir       string
	segment   int64
	durable   bool
	mu        sync.Mutex
	pending   []byte
	spare     []byte
	waiters   []chan error
	spareW    []chan error
	kick      chan struct{}
	f         *os.File
	size      int64
	n         int
	stickyErr error
	records   int           // appended
	groups    int           // written (and fsynced with durable)
	writing   time.Duration // in write and fsync, all groups
	slowest   time.Duration // the longest write and fsync of a group
}

var waitChans = sync.Pool{New: func() any { return make(chan error, 1) }}

func newAppender(dir string, segment int64, durable bool) (*appender, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := &appender{dir: dir, segment: segment, durable: durable, kick: make(chan struct{}, 1),
		pending: make([]byte, 0, 1<<20), spare: make([]byte, 0, 1<<20)}
	if err := a.rotate(); err != nil {
		return nil, err
	}
	go a.commitLoop()
	return a, nil
}

func (a *appender) append(rec []byte) error {
	var w chan error
	if a.durable {
		w = waitChans.Get().(chan error)
	}
	a.mu.Lock()
	if err := a.stickyErr; err != nil {
		a.mu.Unlock()
		return err
	}
	a.pending = append(append(a.pending, rec...), '\n')
	a.records++
	if w != nil {
		a.waiters = append(a.waiters, w)
	}
	a.mu.Unlock()
	select {
	case a.kick <- struct{}{}:
	default:
	}
	if w == nil {
		return nil
	}
	err := <-w
	waitChans.Put(w)
	return err
}

func (a *appender) commitLoop() {
	for range a.kick {
		if yield {
			runtime.Gosched()
		}
		a.mu.Lock()
		if len(a.pending) == 0 { // taken with an earlier kick
			a.mu.Unlock()
			continue
		}
		buf, ws := a.pending, a.waiters
		a.pending, a.waiters = a.spare[:0], a.spareW[:0]
		a.mu.Unlock()
		t := time.Now()
		err := a.write(buf)
		took := time.Since(t)
		for _, w := range ws {
			w <- err
		}
		clear(ws)
		a.mu.Lock()
		if err != nil {
			a.stickyErr = err
		}
		a.groups++
		a.writing += took
		a.slowest = max(a.slowest, took)
		a.spare, a.spareW = buf[:0], ws[:0]
		a.mu.Unlock()
	}
}

func (a *appender) write(buf []byte) error {
	if a.size >= a.segment {
		if err := a.rotate(); err != nil {
			return err
		}
	}
	n, err := a.f.Write(buf)
	a.size += int64(n)
	if err != nil {
		return err
	}
	if a.durable {
		return a.f.Sync()
	}
	return nil
}

// rotate starts a new file and deletes the previous one.
func (a *appender) rotate() error {
	old := a.f
	a.n++
	f, err := os.OpenFile(filepath.Join(a.dir, fmt.Sprintf("floor-%06d.ndjson", a.n)), os.O_CREATE|os.O_WRONLY|os.O_APPEND|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	a.f, a.size = f, 0
	if old != nil {
		return errors.Join(old.Close(), os.Remove(old.Name()))
	}
	return nil
}
