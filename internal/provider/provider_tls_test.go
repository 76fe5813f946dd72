package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// testPKI is a throwaway CA with a server certificate for 127.0.0.1 and a
// client certificate, written as PEM files.
type testPKI struct {
	caFile, certFile, keyFile, otherKeyFile string
	pool                                    *x509.CertPool
	server                                  tls.Certificate
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	write := func(name, kind string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	caKey := key()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
		k := key()
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "test"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, k
	}
	serverDER, serverKey := issue(2, x509.ExtKeyUsageServerAuth)
	clientDER, clientKey := issue(3, x509.ExtKeyUsageClientAuth)
	der := func(k *ecdsa.PrivateKey) []byte {
		b, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return testPKI{
		caFile: write("ca.pem", "CERTIFICATE", caDER), certFile: write("client.pem", "CERTIFICATE", clientDER),
		keyFile: write("client-key.pem", "EC PRIVATE KEY", der(clientKey)), otherKeyFile: write("other-key.pem", "EC PRIVATE KEY", der(key())),
		pool: pool, server: tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey},
	}
}

// TestAccProvider_mutualTLS: a self-hosted endpoint behind a private CA that
// requires client certificates; clear errors for a missing certificate,
// unreadable files and a key that does not match.
func TestAccProvider_mutualTLS(t *testing.T) {
	pki := newTestPKI(t)
	scimServer := scimtest.New(scimtest.Options{Token: scimtest.DefaultToken})
	hs := httptest.NewUnstartedServer(http.Handler(scimServer))
	hs.TLS = &tls.Config{Certificates: []tls.Certificate{pki.server}, ClientAuth: tls.RequireAndVerifyClientCert,
		ClientCAs: pki.pool, MinVersion: tls.VersionTLS12}
	hs.StartTLS()
	t.Cleanup(hs.Close)
	cfg := func(tlsSettings string) string {
		return fmt.Sprintf(`
provider "scim" {
  endpoint     = %q
  token        = %q
  ca_cert_file = %q
  %s
}
resource "scim_user" "test" { user_name = "mtls@example.com" }
`, hs.URL+scimtest.BasePath, scimtest.DefaultToken, pki.caFile, tlsSettings)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(&scimtest.TestServer{Server: scimServer}),
		Steps: []resource.TestStep{
			{Config: cfg(""), ExpectError: regexp.MustCompile(`(?s)Error creating SCIM user.*(certificate required|bad certificate)`)},
			{Config: cfg(`client_cert_file = "/nonexistent/client.pem"` + "\n" + fmt.Sprintf(`client_key_file = %q`, pki.keyFile)),
				ExpectError: regexp.MustCompile(`Cannot read client_cert_file`)},
			{Config: cfg(fmt.Sprintf("client_cert_file = %q\nclient_key_file = %q", pki.certFile, pki.otherKeyFile)),
				ExpectError: regexp.MustCompile(`Client certificate and key do not match`)},
			{Config: cfg(fmt.Sprintf("client_cert_file = %q\nclient_key_file = %q", pki.certFile, pki.keyFile))},
		},
	})
}
