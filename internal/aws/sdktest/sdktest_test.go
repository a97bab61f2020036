package sdktest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestRetryerRetriesOnlyTheClientSideClose(t *testing.T) {
	r := Retryer()
	closed := &net.OpError{Op: "read", Net: "tcp", Err: fmt.Errorf("read: %w", net.ErrClosed)}
	if !r.IsErrorRetryable(closed) {
		t.Errorf("a read on a connection the client closed is not retried")
	}
	answered := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}}, Err: errors.New("InternalFailure")}}
	if r.IsErrorRetryable(answered) {
		t.Errorf("a 500 the server answered is retried; a test must see the first answer")
	}
	if d, err := r.RetryDelay(1, closed); d != 0 || err != nil {
		t.Errorf("retry delay = %v, %v; want none", d, err)
	}
}
