// Command noopserver is the throughput baseline: a fasthttp server whose
// handler reads the request and answers 204, doing nothing else. The
// collector's figures are reported as a ratio to this one, measured in the
// same run on the same core.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"

	"github.com/valyala/fasthttp"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "listening on http://%s\n", ln.Addr())
	srv := &fasthttp.Server{
		Handler:            func(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(fasthttp.StatusNoContent) },
		MaxRequestBodySize: 64 << 10,
	}
	log.Fatal(srv.Serve(ln))
}
