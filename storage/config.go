package storage

import (
	"bufio"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where and as whom to reach object storage.
type S3Config struct {
	// Endpoint is the server's URL, http:// or https:// (default AWS S3).
	Endpoint string
	// Region of the buckets (default us-east-1).
	Region string
	// PathStyle addresses buckets as ENDPOINT/BUCKET rather than
	// BUCKET.ENDPOINT; it is on for IP and localhost endpoints.
	PathStyle bool
	// Creds signs the requests; nil means anonymous.
	Creds *credentials.Credentials
	// Options tune retries, timeouts, concurrency, readahead and parts.
	Options Options
}

// S3ConfigFromEnv reads the configuration the AWS tools use:
//
//	AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   credentials
//	AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials), AWS_PROFILE  credentials file and profile
//	AWS_CONFIG_FILE (~/.aws/config)                               region and endpoint_url of the profile
//	AWS_REGION, AWS_DEFAULT_REGION                                region
//	AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL                         a non-AWS endpoint, e.g. http://127.0.0.1:9000
//	SARING_S3_PATH_STYLE=1 (or 0)                                 force path-style (or virtual-host) addressing
//
// Environment variables win over the files. Credentials are kept in the
// returned Creds only; they are never logged or put in errors.
func S3ConfigFromEnv() S3Config {
	profile := os.Getenv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	conf := awsConfigProfile(profile)
	var c S3Config
	c.Region = firstSet(os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), conf["region"], "us-east-1")
	c.Endpoint = firstSet(os.Getenv("AWS_ENDPOINT_URL_S3"), os.Getenv("AWS_ENDPOINT_URL"), conf["endpoint_url"], "https://s3.amazonaws.com")
	if !strings.Contains(c.Endpoint, "://") {
		c.Endpoint = "https://" + c.Endpoint
	}
	c.PathStyle = isLocalEndpoint(c.Endpoint)
	switch os.Getenv("SARING_S3_PATH_STYLE") {
	case "1", "true", "yes":
		c.PathStyle = true
	case "0", "false", "no":
		c.PathStyle = false
	}
	c.Creds = credentials.NewChainCredentials([]credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.FileAWSCredentials{Profile: profile},
	})
	c.Options = DefaultOptions
	return c
}

func firstSet(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// isLocalEndpoint: an IP address or localhost, where virtual-host
// addressing cannot work.
func isLocalEndpoint(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || strings.HasSuffix(h, ".localhost") || net.ParseIP(h) != nil
}

// awsConfigProfile reads the keys of one profile of the AWS config file
// ([default] or [profile NAME]); nested sections (s3 = ...) are skipped.
func awsConfigProfile(profile string) map[string]string {
	path := os.Getenv("AWS_CONFIG_FILE")
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil
		}
		path = filepath.Join(home, ".aws", "config")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			name := strings.TrimSpace(strings.Trim(line, "[]"))
			in = name == profile || name == "profile "+profile
			continue
		}
		if !in || raw[0] == ' ' || raw[0] == '\t' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}
