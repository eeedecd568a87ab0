package wasisock_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wasisock"
)

// client is an http.Client that dials through wasisock.
func client() *http.Client {
	d := &wasisock.Dialer{Timeout: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: time.Minute}
}

// serveHTTP runs handler on a listener of the guest until the test ends.
func serveHTTP(t *testing.T, handler http.Handler) net.Listener {
	ln := listen(t, "tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: handler}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln
}

// echoHandler answers GET with the path and POST with the body.
var echoHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		io.Copy(w, r.Body)
		return
	}
	fmt.Fprintf(w, "path %s", r.URL.Path)
})

func get(t *testing.T, c *http.Client, url string) (int, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// net/http on both sides inside the guest: concurrent GETs over kept-alive
// connections, and 1 MiB POSTed and echoed.
func TestHTTPInGuest(t *testing.T) {
	ln := serveHTTP(t, echoHandler)
	c := client()
	base := "http://" + ln.Addr().String()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				path := fmt.Sprintf("/r/%d/%d", i, j)
				resp, err := c.Get(base + path)
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(body) != "path "+path {
					t.Errorf("GET %s: %q", path, body)
				}
			}
		}(i)
	}
	wg.Wait()

	postEcho(t, c, base+"/echo", bytes.Repeat([]byte("0123456789abcdef"), 1<<16))
}

// postEcho POSTs body to url, which answers with it.
func postEcho(t *testing.T, c *http.Client, url string, body []byte) {
	t.Helper()
	resp, err := c.Post(url, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("POST %s: %d of %d bytes back, %v", url, len(got), len(body), err)
	}
}

// The client against the harness's native HTTP server.
func TestHTTPClientNative(t *testing.T) {
	cfg := harness(t)
	c := client()
	status, body := get(t, c, "http://"+cfg.V4.addr(cfg.V4.HTTP)+"/hello")
	if status != 200 || string(body) != cfg.HelloBody {
		t.Fatalf("GET /hello: %d %q", status, body)
	}
	status, body = get(t, c, "http://"+cfg.V4.addr(cfg.V4.HTTP)+"/bytes/1000000")
	if status != 200 || len(body) != 1000000 || strings.Trim(string(body), "x") != "" {
		t.Fatalf("GET /bytes: %d, %d bytes", status, len(body))
	}
	status, _ = get(t, c, "http://localhost:"+strconv.Itoa(cfg.Dual["http"])+"/missing")
	if status != 404 {
		t.Fatalf("GET /missing: %d", status)
	}
}

// The server fetched by the harness's native client (urllib).
func TestHTTPServerNativeClient(t *testing.T) {
	cfg := harness(t)
	ln := serveHTTP(t, echoHandler)
	base := "http://" + ln.Addr().String()

	reply := peerRequest(t, cfg, map[string]any{"op": "http", "url": base + "/from/native"})()
	if body, _ := base64.StdEncoding.DecodeString(reply["body"].(string)); reply["status"] != 200.0 || string(body) != "path /from/native" {
		t.Fatalf("native GET: %v %q", reply["status"], body)
	}
	post := strings.Repeat("payload ", 10000)
	reply = peerRequest(t, cfg, map[string]any{"op": "http", "url": base + "/echo", "method": "POST", "body": post})()
	if body, _ := base64.StdEncoding.DecodeString(reply["body"].(string)); string(body) != post {
		t.Fatalf("native POST: %d bytes back", len(body))
	}
}
