package collector

import (
	"fmt"
	"html/template"
	"image/png"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/heatmap"
)

// reportSite is the demo pages' site (examples/demo-site).
const reportSite = "demo.localhost"

// report serves, in demo mode only, a small heatmap report:
//
//	GET /report?site=S&path=/p[&layer=click][&viewport=lg][&from=DAY][&to=DAY][&k=5][&log=1]
//
// an HTML page (a form, no JavaScript) showing the picture that
// /report.png, with the same query, renders on request from the data
// directory (aggregates, or raw rows aggregated on the fly). Outside demo
// mode both paths are left to the static pages, like any other.
func (s *Server) report(ctx *fasthttp.RequestCtx, path []byte) {
	if !s.cfg.Demo {
		s.static(ctx, path)
		return
	}
	if !ctx.IsGet() && !ctx.IsHead() {
		ctx.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
		return
	}
	ctx.Response.Header.Set("Cache-Control", "no-store")
	r, err := s.reportQuery(ctx.QueryArgs())
	if err != nil {
		ctx.Error(err.Error(), fasthttp.StatusBadRequest)
		return
	}
	if string(path) == "/report.png" {
		s.reportPNG(ctx, r)
		return
	}
	s.reportPage(ctx, r)
}

// reportRequest is a report's query, parsed.
type reportRequest struct {
	q    heatmap.Query
	log  bool
	args string // the query string, for the picture's URL
}

func (s *Server) reportQuery(args *fasthttp.Args) (*reportRequest, error) {
	today := s.cfg.Now().UTC().Truncate(24 * time.Hour)
	r := &reportRequest{args: args.String(), log: string(args.Peek("log")) == "1"}
	r.q = heatmap.Query{Dir: s.cfg.DataDir, Site: argOr(args, "site", reportSite), Path: argOr(args, "path", "/"),
		Viewport: string(args.Peek("viewport")), K: heatmap.DefaultK}
	r.q.Layer = heatmap.ParseLayer([]byte(argOr(args, "layer", "click")))
	var err error
	if r.q.To, err = dateArg(args, "to", today); err != nil {
		return nil, err
	}
	if r.q.From, err = dateArg(args, "from", r.q.To.AddDate(0, 0, -6)); err != nil {
		return nil, err
	}
	if k := args.Peek("k"); len(k) > 0 {
		if r.q.K, err = strconv.Atoi(string(k)); err != nil || r.q.K < 1 || r.q.K > 1000 {
			return nil, fmt.Errorf("k %q is not a number from 1 to 1000", k)
		}
	}
	return r, nil
}

func argOr(args *fasthttp.Args, name, def string) string {
	if v := args.Peek(name); len(v) > 0 {
		return string(v)
	}
	return def
}

func dateArg(args *fasthttp.Args, name string, def time.Time) (time.Time, error) {
	v := args.Peek(name)
	if len(v) == 0 {
		return def, nil
	}
	return heatmap.ParseDate(string(v))
}

// load reads the report's grid.
func (r *reportRequest) load() (*heatmap.Grid, heatmap.LoadStats, error) {
	plan, err := heatmap.NewPlan(r.q)
	if err != nil {
		return nil, heatmap.LoadStats{}, err
	}
	return plan.Load(nil)
}

func (s *Server) reportPNG(ctx *fasthttp.RequestCtx, r *reportRequest) {
	grid, _, err := r.load()
	if err != nil {
		ctx.Error(err.Error(), fasthttp.StatusBadRequest)
		return
	}
	img, err := heatmap.Render(grid, heatmap.RenderOptions{Log: r.log})
	if err != nil {
		ctx.Error(err.Error(), fasthttp.StatusInternalServerError)
		return
	}
	ctx.SetContentType("image/png")
	if err := png.Encode(ctx, img); err != nil {
		s.log.Error("encoding the heatmap report", "err", err)
	}
}

func (s *Server) reportPage(ctx *fasthttp.RequestCtx, r *reportRequest) {
	grid, st, err := r.load()
	if err != nil {
		ctx.Error(err.Error(), fasthttp.StatusBadRequest)
		return
	}
	ctx.SetContentType("text/html; charset=utf-8")
	err = reportTemplate.Execute(ctx, map[string]any{
		"Q": r.q, "Layer": r.q.Layer.String(), "From": r.q.From.Format(heatmap.DateLayout),
		"To": r.q.To.Format(heatmap.DateLayout), "Log": r.log, "Stats": st, "Hottest": grid.Max(),
		"Picture": "/report.png?" + r.args,
	})
	if err != nil {
		s.log.Error("writing the heatmap report", "err", err)
	}
}

var reportTemplate = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Heatmap of {{.Q.Path}} — {{.Q.Site}}</title>
<style>body{font:15px system-ui,sans-serif;margin:2em;max-width:60em}img{border:1px solid #ccc;max-width:100%}
form{display:flex;flex-wrap:wrap;gap:.5em 1em;margin:1em 0}label{display:flex;flex-direction:column}</style></head>
<body><h1>Heatmap of {{.Q.Path}} <small>({{.Q.Site}}, {{.Layer}})</small></h1>
<form method="get" action="/report">
<label>site <input name="site" value="{{.Q.Site}}"></label>
<label>path <input name="path" value="{{.Q.Path}}"></label>
<label>layer <select name="layer"><option{{if eq .Layer "click"}} selected{{end}}>click</option><option{{if eq .Layer "move"}} selected{{end}}>move</option><option{{if eq .Layer "scroll"}} selected{{end}}>scroll</option></select></label>
<label>viewport <input name="viewport" value="{{.Q.Viewport}}" placeholder="all" size="4"></label>
<label>from <input name="from" type="date" value="{{.From}}"></label>
<label>to <input name="to" type="date" value="{{.To}}"></label>
<label>k <input name="k" type="number" min="1" max="1000" value="{{.Q.K}}" size="4"></label>
<label>log scale <input name="log" type="checkbox" value="1"{{if .Log}} checked{{end}}></label>
<button>Show</button></form>
<p>{{.Stats.Cells}} cells from {{.Stats.Aggregated}} aggregated and {{.Stats.Computed}} raw days ({{.Stats.Empty}} without data); the hottest counts {{.Hottest}}.
Cells seen by fewer than k = {{.Q.K}} distinct visitors a day are withheld. This is the demo: lower k to 1 to see your own clicks.</p>
<p>Colours: blue (fewest) → cyan → green → yellow → red (most); white: nothing, or withheld.</p>
<img src="{{.Picture}}" width="500" height="1000" alt="heatmap of {{.Q.Path}}">
</body></html>
`))
