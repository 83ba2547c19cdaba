#!/usr/bin/env bash
# gen.sh trains the small models in this directory with the C++ fastText
# 0.9.2 program (apt-get install fasttext) and records its predictions on
# inputs.txt as golden files, so that tests can check saring's reader and
# predictions for every loss and matrix kind without the C++ program.
#
# Models (dim 5 on purpose: product quantization then has a short last
# sub-vector):
#   hs.bin softmax.bin ova.bin ns.bin  word and character n-grams, per loss
#   words.bin                          words only (no n-grams, bucket 0)
#   softmax.ftz                        quantized input, pruned n-grams, qnorm
#   hs3.ftz                            quantized with dsub 3
#   many.ftz                           300 labels, quantized output too (qout)
set -euo pipefail
cd "$(dirname "$0")"
shared=${SHARED:-../../../shared}/data/lingua-sentences
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for l in en id ms de fr ru zh ar; do
	head -n 120 "$shared/$l.txt" | sed "s/^/__label__$l /"
done | shuf --random-source=<(yes) >"$tmp/train.txt"
# 300 labels for a quantized output matrix (quantization needs 256 rows).
awk '{ printf "__label__c%d %s\n", NR % 300, $0 }' "$tmp/train.txt" >"$tmp/many.txt"

common=(-dim 5 -minn 2 -maxn 4 -wordNgrams 2 -bucket 3000 -epoch 25 -lr 0.5 -minCount 2 -thread 1 -seed 1 -verbose 0)
for loss in hs softmax ova ns; do
	fasttext supervised -input "$tmp/train.txt" -output "$tmp/$loss" -loss "$loss" "${common[@]}"
	cp "$tmp/$loss.bin" "$loss.bin"
done
fasttext supervised -input "$tmp/train.txt" -output "$tmp/words" -dim 5 -epoch 25 -lr 0.5 -maxn 0 -wordNgrams 1 -minCount 2 -thread 1 -seed 1 -verbose 0
cp "$tmp/words.bin" words.bin

fasttext quantize -input "$tmp/train.txt" -output "$tmp/softmax" -qnorm -cutoff 600 -verbose 0
cp "$tmp/softmax.ftz" softmax.ftz
fasttext quantize -input "$tmp/train.txt" -output "$tmp/hs" -dsub 3 -cutoff 500 -verbose 0
cp "$tmp/hs.ftz" hs3.ftz
fasttext supervised -input "$tmp/many.txt" -output "$tmp/many" -loss softmax "${common[@]}"
fasttext quantize -input "$tmp/many.txt" -output "$tmp/many" -qnorm -qout -cutoff 400 -verbose 0
cp "$tmp/many.ftz" many.ftz

for m in hs.bin softmax.bin ova.bin ns.bin words.bin softmax.ftz hs3.ftz many.ftz; do
	fasttext predict-prob "$m" - 1 <inputs.txt >"$m.k1.golden"
	fasttext predict-prob "$m" - 3 <inputs.txt >"$m.k3.golden"
	fasttext predict-prob "$m" - -1 0.05 <inputs.txt >"$m.all.golden"
done
# Whole documents (docs.txt, separated by lines holding "---") with
# lid.176.ftz, each given to the C++ program as one line, newlines as
# spaces, as the language step classifies a document.
lid=${SARING_LID_MODEL:-../../models/lid.176.ftz}
awk 'BEGIN { RS = "\n---\n" } { gsub(/\n/, " "); print }' docs.txt >"$tmp/docs.txt"
for k in 2 5; do
	fasttext predict-prob "$lid" - "$k" <"$tmp/docs.txt" >"docs.lid176.k$k.golden"
done
ls -l
