package awsproxy

import (
	"net"
	"sync"
)

// tunnelListener is a net.Listener whose connections are the proxy's
// accepted tunnels.
type tunnelListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newTunnelListener(addr net.Addr) *tunnelListener {
	return &tunnelListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// push hands c to Accept; false when the listener is closed.
func (l *tunnelListener) push(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

// Accept waits for the next tunnel.
func (l *tunnelListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and refuses later tunnels.
func (l *tunnelListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *tunnelListener) isClosed() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// Addr is the CONNECT listener's address.
func (l *tunnelListener) Addr() net.Addr { return l.addr }
