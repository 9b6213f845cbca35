package main

import (
	"flag"
	"fmt"

	"lnvedash/seeds"
)

// seedsUsage explains --seeds. The database reloads its reference tables whenever the seeds in force
// differ from those it was built with, so every command opening one database must name the same folder.
const seedsUsage = "基础数据文件夹（测试、基准测试或另一省份的名册用）：其中的 submitters.csv 等替换内置的同名文件；" +
	"同一数据库的每条命令都须给同一个文件夹，否则打开时按内置数据重建名册"

// seedsFlag adds --seeds to a command that opens the database; the returned function loads the
// folder, or gives nil (queries.Open then loads the embedded seeds) when the flag is not set.
func seedsFlag(fs *flag.FlagSet) func() (*seeds.Set, error) {
	dir := fs.String("seeds", "", seedsUsage)
	return func() (*seeds.Set, error) {
		if *dir == "" {
			return nil, nil
		}
		set, err := seeds.LoadDir(*dir)
		if err != nil {
			return nil, fmt.Errorf("--seeds: %w", err)
		}
		return set, nil
	}
}
