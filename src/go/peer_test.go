package wasisock_test

// The native loopback servers of the test peer (tests/peer/peer.py), which
// tests/python/harness.py starts for this test binary
// (tests/go/CMakeLists.txt): their ports come in WASISOCK_TEST_CONFIG (JSON).  Run by hand without the harness, the tests
// that need them skip, unless WASISOCK_TEST_REQUIRE_PEER is set (ctest sets
// it, so there they fail instead).

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"strconv"
	"sync"
	"testing"

	"wasisock"
)

// servers is one address family's servers (peer.py's Group.config).
type servers struct {
	Host    string `json:"host"`
	Echo    int    `json:"echo"`
	HTTP    int    `json:"http"`
	Refused int    `json:"refused"`
	UDPEcho int    `json:"udp_echo"`
}

func (s *servers) addr(port int) string {
	return net.JoinHostPort(s.Host, strconv.Itoa(port))
}

type peerConfig struct {
	V4            *servers       `json:"v4"`
	V6            *servers       `json:"v6"`
	V6SkipReason  string         `json:"v6_skip_reason"`
	Dual          map[string]int `json:"dual"`
	Peer          int            `json:"peer"`
	HelloBody     string         `json:"hello_body"`
	TLS           *tlsServers    `json:"tls"`
	TLSSkipReason string         `json:"tls_skip_reason"`
}

// tlsServers is the peer's TLS side (tests/peer/tlspeer.py): servers
// on 127.0.0.1 with certificates of a test CA, made at run time in Files.
type tlsServers struct {
	Echo    int               `json:"tls_echo"`
	Unknown int               `json:"tls_unknown"`
	Client  int               `json:"tls_client"`
	HTTPS   int               `json:"https"`
	Files   map[string]string `json:"files"`
	Hello   string            `json:"hello"`
}

var (
	configOnce sync.Once
	config     *peerConfig
	configErr  error
)

// harness is the harness's configuration, or skips (fails under ctest)
// the test when there is none.
func harness(t *testing.T) *peerConfig {
	t.Helper()
	configOnce.Do(func() {
		text, ok := os.LookupEnv("WASISOCK_TEST_CONFIG")
		if !ok {
			return
		}
		config = new(peerConfig)
		configErr = json.Unmarshal([]byte(text), config)
	})
	switch {
	case configErr != nil:
		t.Fatalf("WASISOCK_TEST_CONFIG: %v", configErr)
	case config == nil && os.Getenv("WASISOCK_TEST_REQUIRE_PEER") != "":
		t.Fatal("WASISOCK_TEST_CONFIG is not set: run through tests/python/harness.py")
	case config == nil:
		t.Skip("no native peer (WASISOCK_TEST_CONFIG): run through tests/python/harness.py")
	}
	return config
}

// families runs f as subtests "v4" and "v6", with each family's servers;
// "v6" skips when the host has no ::1.
func (c *peerConfig) families(t *testing.T, f func(t *testing.T, srv *servers)) {
	for _, family := range []struct {
		name string
		srv  *servers
	}{{"v4", c.V4}, {"v6", c.V6}} {
		t.Run(family.name, func(t *testing.T) {
			if family.srv == nil {
				t.Skip("no IPv6 loopback:", c.V6SkipReason)
			}
			f(t, family.srv)
		})
	}
}

// peerRequest starts a request to the harness's native client service
// ("peer"): it acts on a server of this guest while the test serves, and
// the returned function waits for its report.
func peerRequest(t *testing.T, c *peerConfig, req map[string]any) func() map[string]any {
	return peerAt(t, c.Peer, req)
}

// peerAt is peerRequest to the native client service on port (the peer's,
// or the TLS client's, which speaks the same JSON lines).
func peerAt(t *testing.T, port int, req map[string]any) func() map[string]any {
	t.Helper()
	conn, err := wasisock.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	line, _ := json.Marshal(req)
	if _, err := conn.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
	return func() map[string]any {
		defer conn.Close()
		var reply map[string]any
		text, err := bufio.NewReader(conn).ReadBytes('\n')
		if err == nil {
			err = json.Unmarshal(text, &reply)
		}
		if err != nil {
			t.Fatalf("native peer: %v (%q)", err, text)
		}
		if reply["ok"] != true {
			t.Fatalf("native peer: %v", reply["error"])
		}
		return reply
	}
}
