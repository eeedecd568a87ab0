// httpget fetches a URL with net/http over wasisock and prints the body.
//
//	wasisock-run httpget.wasm http://127.0.0.1:8000/hello
//
// The only wasisock-specific line is the Transport's DialContext: the rest
// is the standard library's HTTP client, redirects, keep-alive and all.
// Exit status 0 for a 2xx answer, 1 otherwise (the status goes to stderr).
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"wasisock"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: httpget URL")
		os.Exit(2)
	}
	dialer := &wasisock.Dialer{Timeout: 10 * time.Second}
	client := &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext},
		Timeout:   30 * time.Second,
	}
	resp, err := client.Get(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpget:", err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
		fmt.Fprintln(os.Stderr, "httpget: reading the body:", err)
		os.Exit(1)
	}
	if resp.StatusCode/100 != 2 {
		fmt.Fprintln(os.Stderr, "httpget:", resp.Status)
		os.Exit(1)
	}
}
