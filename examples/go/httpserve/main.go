// httpserve is a net/http server inside WebAssembly, on a wasisock
// listener: every connection is served by its own goroutine, as with any
// Go server, while the others keep running.
//
//	wasisock-run httpserve.wasm [-addr 127.0.0.1:8080] [-n COUNT]
//	listening on http://127.0.0.1:8080/
//
// Under wasisock-run --listen HOST:PORT it serves on the socket the runner
// opened instead (wasisock.Listeners), so it needs no network permission
// of its own: wasisock-run --deny-all --listen 127.0.0.1:8080 httpserve.wasm
//
// GET /any/path answers "hello from Go in WebAssembly: /any/path"; POST
// /echo sends the request body back.  With -n it shuts down gracefully
// after COUNT requests and says how many connections were open at most at
// one time.  -addr with port 0 takes a free port.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"

	"wasisock"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	count := flag.Int("n", 0, "shut down after this many requests (0: never)")
	flag.Parse()

	ln, err := listener(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpserve:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s/\n", ln.Addr())

	var (
		mu                 sync.Mutex
		served, open, most int
	)
	srv := &http.Server{}
	done := make(chan struct{})
	srv.ConnState = func(_ net.Conn, state http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch state {
		case http.StateNew:
			open++
			most = max(most, open)
		case http.StateClosed, http.StateHijacked:
			open--
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from Go in WebAssembly: %s\n", r.URL.Path)
		countRequest(&mu, &served, *count, srv, done)
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
		io.Copy(w, r.Body)
		countRequest(&mu, &served, *count, srv, done)
	})
	srv.Handler = mux

	if err := srv.Serve(ln); err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "httpserve:", err)
		os.Exit(1)
	}
	<-done
	fmt.Printf("served %d requests, at most %d connections at once\n", served, most)
}

// listener is the first listener the runner handed over, if any, else a
// new one on addr.
func listener(addr string) (net.Listener, error) {
	handed, err := wasisock.Listeners()
	if err != nil {
		return nil, err
	}
	for _, ln := range handed {
		if ln != nil {
			return ln, nil
		}
	}
	return wasisock.Listen("tcp", addr)
}

// countRequest counts a request answered and, at the limit, starts a
// graceful shutdown: Serve returns at once, and done is closed once the
// open connections have finished.
func countRequest(mu *sync.Mutex, served *int, limit int, srv *http.Server, done chan struct{}) {
	mu.Lock()
	*served++
	last := *served == limit
	mu.Unlock()
	if last {
		go func() {
			srv.Shutdown(context.Background())
			close(done)
		}()
	}
}
