// RealServersCheck's Go server: net/http, what an application writes (http.ServeContent for the file, which answers
// If-None-Match and If-Modified-Since itself). Prints its port, then one line per request with the client's port.
package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"time"
)

func note(r *http.Request) {
	_, port, _ := net.SplitHostPort(r.RemoteAddr)
	fmt.Printf("REQ %s %s %s\n", port, r.Method, r.URL.Path)
}

func main() {
	modified := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	mux := http.NewServeMux()
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		note(r)
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		note(r)
		w.Write([]byte("o"))
		w.(http.Flusher).Flush()
		w.Write([]byte("k"))
	})
	mux.HandleFunc("/204", func(w http.ResponseWriter, r *http.Request) {
		note(r)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/file.txt", func(w http.ResponseWriter, r *http.Request) {
		note(r)
		w.Header().Set("ETag", `"v1"`)
		http.ServeContent(w, r, "file.txt", modified, bytes.NewReader([]byte("ok")))
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Printf("LISTENING %d\n", listener.Addr().(*net.TCPAddr).Port)
	panic(http.Serve(listener, mux))
}
