package collector

import (
	"net"
)

// listenURL returns the base URL for a listening address:
// "http://127.0.0.1:8080", or "http://localhost:8080" when the address is
// every interface (":8080", "0.0.0.0:8080", "[::]:8080").
func listenURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
