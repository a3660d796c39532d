// Command kafka-files consumes the topics Crumbless's Kafka output
// (sinks.kafka) produces and writes the same Hive-partitioned NDJSON.zst
// files as the collector's file sink, through collector/sink/filesink:
//
//	DIR/events/site=SITE/date=YYYY-MM-DD/hour=HH/part-….ndjson.zst
//	DIR/heatmaps/site=SITE/date=YYYY-MM-DD/hour=HH/part-….ndjson.zst
//	DIR/consent/site=SITE/date=YYYY-MM-DD/part-….ndjson.zst
//
// Rows are partitioned by the row's received_at, as the collector does.
// It reads as a consumer group and commits offsets only after the files
// holding the rows are complete and on disk: every -commit-every (and on
// exit, and when the group takes partitions away) it closes its file
// sinks, which completes and fsyncs their files, then commits, then opens
// new ones. A crash between the two writes those rows again into new
// files; Kafka itself may hold a row twice (the output is at-least-once),
// so readers deduplicate on event_id, as they do for the collector's
// files.
//
//	go run ./examples/kafka-files -brokers localhost:9092 -dir ./data
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/crumbless/crumbless/collector/sink/kafkasink"
)

func main() {
	var cfg config
	brokers := flag.String("brokers", "localhost:9092", "seed brokers, comma-separated")
	flag.StringVar(&cfg.group, "group", "crumbless-files", "the consumer group")
	flag.StringVar(&cfg.dir, "dir", "data", "the data directory")
	flag.StringVar(&cfg.topics.Events, "events", kafkasink.DefaultEventsTopic, "the events topic")
	flag.StringVar(&cfg.topics.Heatmaps, "heatmaps", kafkasink.DefaultHeatmapsTopic, "the heatmaps topic")
	flag.StringVar(&cfg.topics.Consent, "consent", kafkasink.DefaultConsentTopic, "the consent topic")
	flag.DurationVar(&cfg.commitEvery, "commit-every", time.Minute, "how often files are completed and offsets committed")
	flag.Parse()
	cfg.brokers = strings.Split(*brokers, ",")
	cfg.log = slog.Default()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		log.Fatal(err)
	}
}
