// Package sinks measures the sinks framework's throughput: records relayed
// from a real spool (fsynced segments, collector/spool) by
// collector/sink/spooled to a sink that does nothing (the floor the
// framework itself sets), to the file sink and to the Kafka sink on an
// in-process three-broker cluster, in one run:
//
//	go test ./bench/internal/sinks -run '^$' -bench . -benchtime 20000x
//
// Each iteration is one spool record of RowsPerRecord rows, like an
// accepted request; events/s counts rows. The spool is filled before the
// clock starts; the clock covers the relay's drain and the sink's Close
// (the file sink completes its files then).
package sinks
