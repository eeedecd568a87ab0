package wasisock_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"

	"wasisock"
)

// Go's own crypto/tls over wasisock connections, against the harness's
// TLS servers and native TLS client.  The certificates are files the
// harness makes at run time; tests/go maps their directory into the guest.

// tlsFiles is the harness's TLS side with its test CA, or skips.
func tlsFiles(t *testing.T) (*tlsServers, *x509.CertPool) {
	cfg := harness(t)
	if cfg.TLS == nil {
		t.Skip("no TLS servers:", cfg.TLSSkipReason)
	}
	pem, err := os.ReadFile(cfg.TLS.Files["ca"])
	if err != nil {
		t.Fatalf("the harness's CA (is its directory mapped into the guest?): %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no certificate in", cfg.TLS.Files["ca"])
	}
	return cfg.TLS, pool
}

// HTTPS through the dialer, verifying the server's name (localhost).
func TestHTTPSClientNative(t *testing.T) {
	srv, pool := tlsFiles(t)
	d := &wasisock.Dialer{}
	c := &http.Client{Transport: &http.Transport{
		DialContext:     d.DialContext,
		TLSClientConfig: &tls.Config{RootCAs: pool},
	}}
	base := "https://localhost:" + strconv.Itoa(srv.HTTPS)
	if status, body := get(t, c, base+"/hello"); status != 200 || string(body) != srv.Hello {
		t.Fatalf("GET /hello: %d %q", status, body)
	}
	postEcho(t, c, base+"/echo", bytes.Repeat([]byte("tls "), 1<<18))
}

// A server whose certificate the test CA did not sign is refused.
func TestTLSUnknownAuthority(t *testing.T) {
	srv, pool := tlsFiles(t)
	raw := dial(t, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.Unknown)))
	err := tls.Client(raw, &tls.Config{RootCAs: pool, ServerName: "localhost"}).Handshake()
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("handshake with an unknown CA's server: %T %v", err, err)
	}
}

// A TLS server in the guest (the harness's server certificate), echoing
// 1 MiB to the native TLS client, then closing (close_notify: the client
// reads until it comes).
func TestTLSServerNativeClient(t *testing.T) {
	srv, _ := tlsFiles(t)
	cert, err := tls.LoadX509KeyPair(srv.Files["server"], srv.Files["server_key"])
	if err != nil {
		t.Fatal(err)
	}
	ln := tls.NewListener(listen(t, "tcp", "127.0.0.1:0"),
		&tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"wasisock-test"}})
	const size = 1 << 20
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, io.LimitReader(c, size))
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	reply := peerAt(t, srv.Client, map[string]any{"port": port, "size": size, "seed": 7})()
	if reply["received"] != float64(size) || reply["received_sha256"] != reply["sent_sha256"] ||
		reply["alpn"] != "wasisock-test" {
		t.Fatalf("native TLS client: %v", reply)
	}
	if reply["version"] != "TLSv1.3" {
		t.Errorf("version %v", reply["version"])
	}
}
