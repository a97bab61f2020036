package keys

// missReread is exported to the tests, which move the clock past it.
const MissReread = missReread
