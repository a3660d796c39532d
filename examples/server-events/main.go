// Command server-events is a shop's backend that reports confirmed
// purchases to a Crumbless collector from the server, with sdk/client: the
// page cannot know that the payment went through, the server does.
//
//	CRUMBLESS_SECRET=… go run ./examples/server-events -collector http://localhost:8080/e -site example.com
//
// then confirm an order as the visitor's browser would:
//
//	curl -d plan=pro -d amount=49.00 http://localhost:8081/checkout
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/crumbless/crumbless/sdk/client"
)

func main() {
	collector := flag.String("collector", "http://localhost:8080/e", "the collector's event endpoint")
	site := flag.String("site", "example.com", "the site id, as in the collector's configuration")
	listen := flag.String("listen", "localhost:8081", "the shop's address")
	flag.Parse()
	events, err := client.New(*collector, *site, os.Getenv("CRUMBLESS_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("shop on http://%s, reporting to %s", *listen, *collector)
	log.Fatal(http.ListenAndServe(*listen, newShop(events)))
}

// shop is the backend: POST /checkout confirms an order.
type shop struct {
	events *client.Client
}

func newShop(events *client.Client) http.Handler {
	mux := http.NewServeMux()
	s := &shop{events: events}
	mux.HandleFunc("POST /checkout", s.checkout)
	return mux
}

// checkout charges the order (not here: this is an example), then reports
// the purchase for the visitor who made it. The visitor's address and
// browser go to the collector for the visitor id and the browser classes,
// and are not stored there.
func (s *shop) checkout(w http.ResponseWriter, r *http.Request) {
	plan, amount := r.FormValue("plan"), r.FormValue("amount")
	if plan == "" || amount == "" {
		http.Error(w, "plan and amount are required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	visitor := client.Visitor{IP: r.RemoteAddr, UserAgent: r.UserAgent()}
	purchase := client.Event{Name: "purchase", Path: "/checkout", Props: map[string]string{"plan": plan, "amount": amount}}
	if err := s.events.Send(ctx, visitor, purchase); err != nil {
		// The order stands; only the analytics event is lost.
		log.Printf("reporting a purchase: %v", err)
	}
	fmt.Fprintf(w, "Thank you: %s plan, %s.\n", plan, amount)
}
