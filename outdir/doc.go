// Package outdir is the contract of a run's output directory: its layout,
// the one Stats type written to stats.json, the completion markers that make
// a run resumable, the lock that keeps two runs out of one directory, and the
// one atomic writer everything final goes through. The runner and every task
// write through it; report, serve and status read through it.
//
// Layout of OUT:
//
//	kept/part-SS-UUUUUU-NNNNN.EXT      documents that survived (stage SS, input unit UUUUUU, shard NNNNN)
//	kept/KEY=VALUE/part-SS-UUUUUU-NNNNN.EXT  the same, divided by output.partition_by (partition.go)
//	kept/part-SS-UUUUUU-NNNNN.bin, .idx  token ids instead (megatron; datatrove_tokens: .ds, .ds.index, .ds.metadata)
//	removed/part-SS-UUUUUU-NNNNN.EXT   removed documents, by the stage that removed them
//	rejected/part-SS-UUUUUU-NNNNN.jsonl input records that could not be read
//	stats.json                         merged statistics, written when every task of every stage is done
//	clusters.jsonl                     minhash clusters, when asked for
//	.saring/plan.json                  the run's plan: configuration fingerprint, inputs, stages, tasks
//	.saring/run.lock                   held by a whole-run process (saring run without --task)
//	.saring/done.json                  written last, when the run is complete
//	.saring/stage-SS/units/UUUUUU.json a unit's marker: its files with sizes and checksums, its counts and stats
//	.saring/stage-SS/tasks/TTTTT.json  a task's marker; TTTTT.lock while it runs
//	.saring/stage-SS/work/             spools, first-pass records and decisions of corpus-wide steps
//	.saring/logs/                      per-task logs of cluster executors
//
// A unit is one input file. Every output file is named after its stage and
// unit, never after the task that wrote it, so the files of a run are the
// same for any number of tasks, and name order is input order.
package outdir
