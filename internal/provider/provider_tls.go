package provider

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// TLS settings for self-hosted SCIM endpoints: a private CA (inline or from
// a file) and a client certificate for mutual TLS. Each bad value is
// reported against the setting it came from.

func tlsSchema() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"ca_cert_pem": schema.StringAttribute{
			MarkdownDescription: "Extra certificate authorities (PEM) to trust, for apps behind a private CA. " +
				"Certificates are always verified. Falls back to `SCIM_CA_CERT_PEM`.",
			Optional: true,
		},
		"ca_cert_file": schema.StringAttribute{
			MarkdownDescription: "Path of a PEM file of extra certificate authorities to trust, added to `ca_cert_pem`. " +
				"Falls back to `SCIM_CA_CERT_FILE`.",
			Optional: true,
		},
		"client_cert_file": schema.StringAttribute{
			MarkdownDescription: "Path of the PEM client certificate presented to endpoints that require mutual TLS; needs " +
				"`client_key_file`. Falls back to `SCIM_CLIENT_CERT_FILE`.",
			Optional: true,
		},
		"client_key_file": schema.StringAttribute{
			MarkdownDescription: "Path of the PEM private key of `client_cert_file`. Falls back to `SCIM_CLIENT_KEY_FILE`.",
			Optional:            true,
		},
	}
}

// applyTLS reads the TLS settings into cfg.
func applyTLS(data scimProviderModel, cfg *scim.Config, diags *diag.Diagnostics) {
	cfg.CACertPEM = stringOrEnv(data.CACertPEM, "SCIM_CA_CERT_PEM")
	if cfg.CACertPEM != "" && !x509.NewCertPool().AppendCertsFromPEM([]byte(cfg.CACertPEM)) {
		diags.AddAttributeError(path.Root("ca_cert_pem"), "Invalid CA certificate",
			settingSource(data.CACertPEM, "ca_cert_pem", "SCIM_CA_CERT_PEM")+" holds no PEM certificate: give one or more "+
				"-----BEGIN CERTIFICATE----- blocks.")
	}
	if file := stringOrEnv(data.CACertFile, "SCIM_CA_CERT_FILE"); file != "" {
		pem, ok := readSetting(file, "ca_cert_file", diags)
		if ok && !x509.NewCertPool().AppendCertsFromPEM(pem) {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA certificate file",
				fmt.Sprintf("%s holds no PEM certificate.", file))
		}
		cfg.CACertPEM = strings.TrimSpace(cfg.CACertPEM + "\n" + string(pem))
	}
	certFile := stringOrEnv(data.ClientCertFile, "SCIM_CLIENT_CERT_FILE")
	keyFile := stringOrEnv(data.ClientKeyFile, "SCIM_CLIENT_KEY_FILE")
	if certFile == "" && keyFile == "" {
		return
	}
	if certFile == "" || keyFile == "" {
		diags.AddAttributeError(path.Root("client_cert_file"), "Incomplete client certificate",
			"Set both client_cert_file and client_key_file (or SCIM_CLIENT_CERT_FILE and SCIM_CLIENT_KEY_FILE) for mutual TLS.")
		return
	}
	cert, certOK := readSetting(certFile, "client_cert_file", diags)
	key, keyOK := readSetting(keyFile, "client_key_file", diags)
	if !certOK || !keyOK {
		return
	}
	if _, err := tls.X509KeyPair(cert, key); err != nil {
		diags.AddAttributeError(path.Root("client_key_file"), "Client certificate and key do not match",
			fmt.Sprintf("%s and %s do not form a certificate and key pair: %v. Check that both are PEM and that the key "+
				"belongs to the certificate.", certFile, keyFile, err))
		return
	}
	cfg.ClientCertPEM, cfg.ClientKeyPEM = string(cert), string(key)
}

func readSetting(file, attr string, diags *diag.Diagnostics) ([]byte, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Cannot read "+attr, fmt.Sprintf("Reading %s failed: %v.", file, err))
		return nil, false
	}
	return b, true
}
