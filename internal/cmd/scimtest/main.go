// Command scimtest runs the in-memory SCIM 2.0 server on a loopback address,
// for the demo and for trying the provider without a SaaS tenant.
//
//	go run ./internal/cmd/scimtest -port 8080 -token demo-token
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

func main() {
	port := flag.Int("port", 8080, "TCP port to listen on (0 picks a free one)")
	host := flag.String("host", "127.0.0.1", "loopback address to bind; other addresses are refused")
	token := flag.String("token", os.Getenv("SCIMTEST_TOKEN"), "bearer token clients must send (default $SCIMTEST_TOKEN)")
	pageCap := flag.Int("page-cap", 0, "most resources per list page (0: as many as asked)")
	portFile := flag.String("port-file", "", "write the chosen port to this file once listening")
	flag.Parse()

	if ip := net.ParseIP(*host); *host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Fatalf("scimtest: -host %q is not a loopback address; this server is for local use only", *host)
	}
	if *token == "" {
		log.Fatal("scimtest: -token (or SCIMTEST_TOKEN) is required")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		log.Fatalf("scimtest: %v", err)
	}
	_, chosenPort, _ := net.SplitHostPort(ln.Addr().String())
	chosen, _ := strconv.Atoi(chosenPort)
	if *portFile != "" {
		if err := os.WriteFile(*portFile, []byte(fmt.Sprint(chosen)), 0o600); err != nil {
			log.Fatalf("scimtest: %v", err)
		}
	}
	srv := &http.Server{
		Handler:           scimtest.New(scimtest.Options{Token: *token, PageCap: *pageCap}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("scimtest: SCIM 2.0 server at http://%s:%d%s", *host, chosen, scimtest.BasePath)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatalf("scimtest: %v", err)
	}
}
