package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/crumbless/crumbless/collector"
)

// dataFlags are the flags of the commands that work on a data directory
// as the collector's configuration describes it: -config FILE and -data
// DIR, which overrides the file's data_dir.
type dataFlags struct {
	config, data *string
}

func addDataFlags(fs *flag.FlagSet) dataFlags {
	return dataFlags{
		config: fs.String("config", "", "the collector's configuration `FILE` (YAML): its data_dir and sites"),
		data:   fs.String("data", "", "the data `DIR`ectory; default the configuration's data_dir, or "+collector.DefaultDataDir),
	}
}

// load reads and validates the configuration, if one is given, and sets
// its data directory.
func (f dataFlags) load(stderr io.Writer) (collector.Config, bool) {
	var cfg collector.Config
	if *f.config != "" {
		var err error
		if cfg, err = collector.LoadConfig(*f.config); err != nil {
			fmt.Fprintln(stderr, err)
			return cfg, false
		}
		if err := cfg.Validate(); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", *f.config, err)
			return cfg, false
		}
	}
	switch {
	case *f.data != "":
		cfg.DataDir = *f.data
	case cfg.DataDir == "":
		cfg.DataDir = collector.DefaultDataDir
	}
	return cfg, true
}
