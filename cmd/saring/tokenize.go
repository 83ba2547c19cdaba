package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/saring/saring/tokenize"
)

type tokenizeOptions struct {
	tokenizer string
	workers   int
}

func newTokenizeCommand() *cobra.Command {
	opts := &tokenizeOptions{}
	cmd := &cobra.Command{
		Use:   "tokenize --tokenizer T",
		Short: "Print the token ids of each line of stdin (no special tokens added)",
		Long: `tokenize reads one text per line from standard input and prints, for each,
its token ids separated by spaces: one line out per line in (an empty line
for an empty text). The text of a line is everything before its "\n".
No special tokens are added; special tokens written in the text are
encoded as the reference does: as those tokens for a tokenizer.json
(Hugging Face tokenizers), as plain text for tiktoken (encode_ordinary).

T is a path to a Hugging Face tokenizer.json (byte-level BPE, as Llama 3 and
Qwen) or the name of a file scripts/get-tokenizers.sh fetched into
models/tokenizers/: ` + strings.Join(tokenize.Names, ", ") + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTokenize(cmd.Context(), opts, cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.tokenizer, "tokenizer", "", "tokenizer.json path or name ("+strings.Join(tokenize.Names, ", ")+")")
	f.IntVar(&opts.workers, "workers", runtime.GOMAXPROCS(0), "goroutines encoding (output order is the input's either way)")
	return cmd
}

func runTokenize(ctx context.Context, opts *tokenizeOptions, in io.Reader, out io.Writer) error {
	if opts.tokenizer == "" {
		return errors.New("--tokenizer is required: a tokenizer.json path or one of " + strings.Join(tokenize.Names, ", "))
	}
	tok, err := tokenize.Load(opts.tokenizer)
	if err != nil {
		return err
	}
	workers := max(1, opts.workers)
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriterSize(out, 1<<20)
	const batch = 2048
	lines := make([]string, 0, batch)
	results := make([][]byte, batch)
	encode := func() {
		var wg sync.WaitGroup
		per := (len(lines) + workers - 1) / workers
		for lo := 0; lo < len(lines); lo += per {
			hi := min(lo+per, len(lines))
			wg.Add(1)
			go func() {
				defer wg.Done()
				var ids []int
				for i := lo; i < hi; i++ {
					ids = tok.AppendEncode(ids[:0], lines[i])
					b := results[i][:0]
					for j, id := range ids {
						if j > 0 {
							b = append(b, ' ')
						}
						b = strconv.AppendInt(b, int64(id), 10)
					}
					results[i] = append(b, '\n')
				}
			}()
		}
		wg.Wait()
		for i := range lines {
			w.Write(results[i])
		}
		lines = lines[:0]
	}
	for {
		line, err := r.ReadString('\n')
		if len(line) > 0 {
			lines = append(lines, strings.TrimSuffix(line, "\n"))
			if len(lines) == batch {
				if cerr := ctx.Err(); cerr != nil {
					return cerr
				}
				encode()
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	encode()
	return w.Flush()
}
